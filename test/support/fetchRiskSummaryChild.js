"use strict";
/**
 * Runs one `fetchRiskSummary` of the built package in a process of its own and prints the outcome as
 * one JSON line: `node fetchRiskSummaryChild.js '<options as JSON>'`. It never calls `process.exit`:
 * whatever the read leaves behind (a socket, a timer) keeps the process alive, which the fault matrix
 * counts as a failure.
 */
const path = require("node:path");
const { fetchRiskSummary, CloudflareRiskError } = require(path.resolve(__dirname, "..", "..", "dist", "index.js"));

function classesOf(error) {
    const names = [];
    for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        names.push(proto.constructor.name);
    }
    return names;
}

/** Everything an error carries: message, stack, own properties and its cause chain. */
function describeError(error, depth) {
    if (!(error instanceof Error)) return { value: String(error) };
    const own = {};
    for (const key of Object.keys(error)) if (key !== "cause") own[key] = error[key];
    return {
        name: error.name,
        classes: classesOf(error),
        isRiskSummaryError: error instanceof CloudflareRiskError,
        message: error.message,
        stack: error.stack,
        own,
        cause: error.cause !== undefined && depth < 8 ? describeError(error.cause, depth + 1) : undefined,
    };
}

const options = JSON.parse(process.argv[2]);
const started = Date.now();
const print = (outcome) => {
    const settledMs = Date.now() - started;
    process.stdout.write(`${JSON.stringify({ ...outcome, settledMs, activeResources: process.getActiveResourcesInfo() })}\n`);
};
fetchRiskSummary(options).then(
    (summary) => print({ ok: true, users: summary.users, counts: summary.counts }),
    (error) => print({ ok: false, error: describeError(error, 0) }),
);
