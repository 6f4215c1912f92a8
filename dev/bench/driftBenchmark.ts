import * as os from "node:os";
import { defaultConcurrency, defaultPerPage, readAttempts } from "../../provider/arguments/defaults";
import { defaultMaxRequestsPerFiveMinutes } from "../../provider/client/limiter";
import { type RequestLogEntry, type ScriptedDrift, startLocalCloudflareApi } from "../local-api";
import { apiTarget } from "./apiTarget";
import { median, runAlternating } from "./measure";
import { progress } from "./progress";
import type { DriftOutcome, DriftWorkerArgs, DriftWorkerSample } from "./driftWorker";
import { runWorker } from "./workerProtocol";

/**
 * Benchmark 5: what an account that changes during a read costs. One account of `users` users read
 * by `fetchRiskSummary` with its defaults, in three variants alternating round after round: a quiet
 * account; one change after about half the pages were served (a user of the last page moves to the
 * front at high risk), which the read sees and reads again for; and a change after every request,
 * which ends in `InconsistentReadError`. Each sample is a fresh worker process; the parent scripts
 * the drift on the embedded API (`driftNext`) and counts the requests and reads in its log.
 */

export const driftVariantNames = ["quiet", "oneChange", "everyRequest"] as const;
export type DriftVariant = (typeof driftVariantNames)[number];

export interface DriftBenchmarkOptions {
    readonly users: number;
    readonly rounds: number;
    readonly warmupRounds: number;
}

/** One variant's samples: wall time of the timed read and what the server's log shows of it. */
export interface DriftRow {
    readonly variant: DriftVariant;
    /** What the parent queued with `driftNext` before the read (none for the quiet account). */
    readonly steps: ScriptedDrift[];
    readonly ms: number;
    readonly samples: number[];
    /** Requests of the timed read in the server's log: the median, and each sample's. */
    readonly requests: number;
    readonly requestSamples: number[];
    /** Reads from page 1 (the log's requests for page 1): the median, and each sample's. */
    readonly reads: number;
    readonly readSamples: number[];
    /** Each sample's requests per read, in the order of the log. */
    readonly requestsPerRead: number[][];
    /** The median over the quiet account's median. */
    readonly ratioToQuiet: number;
    /** What the timed read ended with (the same in every sample, checked). */
    readonly outcome: DriftOutcome;
    /** The account's high-risk users once the read ended (for a read that returned, what it should show). */
    readonly accountHighRiskUsers: number;
}

export interface DriftBenchmarkResult {
    readonly users: number;
    readonly perPage: number;
    readonly pages: number;
    readonly concurrency: number;
    readonly readAttempts: number;
    /** The process-wide request limit every sample's reads count against. */
    readonly maxRequestsPerFiveMinutes: number;
    readonly rounds: number;
    readonly warmupRounds: number;
    /** The one change of `oneChange` lands after this many pages were served. */
    readonly changeAfterPages: number;
    readonly rows: Record<DriftVariant, DriftRow>;
    /** The machine's 1-minute load average right before each sample, in run order, and its core count. */
    readonly loadAverages: number[];
    readonly cores: number;
}

interface DriftSample extends DriftWorkerSample {
    readonly requests: number;
    readonly requestsPerRead: number[];
    readonly accountHighRiskUsers: number;
}

/** Requests per read: the log of one account cut before each request for page 1 (a read starts there, after the one before ended). */
export function splitReads(log: readonly RequestLogEntry[]): number[] {
    const reads: number[] = [];
    for (const entry of log) {
        if (entry.page === 1 || reads.length === 0) reads.push(0);
        reads[reads.length - 1]! += 1;
    }
    return reads;
}

const outcomeKey = (o: DriftOutcome): string =>
    o.kind === "summary" ? `summary ${o.users} ${o.highRiskUsers}` : `${o.name} ${o.code ?? ""} ${o.attempts ?? ""}`;

export async function runDriftBenchmark(options: DriftBenchmarkOptions): Promise<DriftBenchmarkResult> {
    const { users } = options;
    const perPage = defaultPerPage;
    const pages = Math.ceil(users / perPage);
    const changeAfterPages = Math.ceil(pages / 2);
    const steps: Record<DriftVariant, ScriptedDrift[]> = {
        quiet: [],
        // After page `changeAfterPages` was served, the account's last user (on the last page) moves to the front at high risk.
        oneChange: [...(changeAfterPages > 1 ? [{ op: "none" as const, times: changeAfterPages - 1 }] : []), { op: "move", level: "high" }],
        // The same change after every request, enough of them for every read the client may make.
        everyRequest: [{ op: "move", level: "high", times: readAttempts * pages }],
    };

    const warmId = "1".repeat(32);
    const measuredId = "2".repeat(32);
    // Two accounts of the same users: the worker's discarded first read goes to one, the timed read to
    // the other, whose drift queue and log entries are its own. No `cachePages`: a change empties the
    // cache, so with it only the quiet account would be served from encoded pages; without it every
    // request costs the server the same in every variant.
    const api = await startLocalCloudflareApi({
        accounts: { [warmId]: { size: users }, [measuredId]: { size: users } },
        maxPerPage: perPage,
    });
    try {
        progress(
            `drift: ${users} users in ${pages} pages of ${perPage}, concurrency ${defaultConcurrency}; ` +
                `one change after page ${changeAfterPages}, or a change after every request`,
        );
        const target = apiTarget(api, measuredId);
        const args: DriftWorkerArgs = { warmTarget: apiTarget(api, warmId), target, expectedUsers: users };
        const measuredPath = `/accounts/${measuredId}/`;
        const highRisk = () => api.users(measuredId).filter((u) => u.max_risk_level === "high").length;

        const loadAverages: number[] = [];
        const run = async (variant: DriftVariant): Promise<DriftSample> => {
            // The original users, no queued drift, an empty log.
            api.reset();
            loadAverages.push(os.loadavg()[0]!);
            if (steps[variant].length > 0) api.driftNext(steps[variant], measuredId);
            const sample = await runWorker<DriftWorkerArgs, DriftWorkerSample>("driftWorker.js", args, { nodeArgs: ["--expose-gc"] });
            const log = api.requests;
            const warm = log.filter((e) => !e.path.includes(measuredPath));
            const measured = log.filter((e) => e.path.includes(measuredPath));
            if (warm.length !== pages || log.some((e) => e.status !== 200))
                throw new Error(`drift: expected ${pages} requests for the first read and every answer a 200, the log says otherwise`);
            const drifted: DriftSample = {
                ...sample,
                requests: measured.length,
                requestsPerRead: splitReads(measured),
                accountHighRiskUsers: highRisk(),
            };
            checkSample(variant, drifted, { users, pages });
            return drifted;
        };
        const samples = await runAlternating(
            driftVariantNames,
            run,
            { label: "drift", rounds: options.rounds, warmupRounds: options.warmupRounds },
            (s) => `${s.ms.toFixed(0)} ms, ${s.requests} requests in ${s.requestsPerRead.length} reads`,
        );

        const quietMs = median(samples.quiet.map((s) => s.ms));
        const row = (variant: DriftVariant): DriftRow => {
            const list = samples[variant];
            const first = list[0]!;
            if (
                list.some(
                    (s) => outcomeKey(s.outcome) !== outcomeKey(first.outcome) || s.accountHighRiskUsers !== first.accountHighRiskUsers,
                )
            )
                throw new Error(`drift: ${variant} ended differently from one sample to another`);
            const ms = median(list.map((s) => s.ms));
            return {
                variant,
                steps: steps[variant],
                ms,
                samples: list.map((s) => s.ms),
                requests: median(list.map((s) => s.requests)),
                requestSamples: list.map((s) => s.requests),
                reads: median(list.map((s) => s.requestsPerRead.length)),
                readSamples: list.map((s) => s.requestsPerRead.length),
                requestsPerRead: list.map((s) => s.requestsPerRead),
                ratioToQuiet: ms / quietMs,
                outcome: first.outcome,
                accountHighRiskUsers: first.accountHighRiskUsers,
            };
        };
        return {
            users,
            perPage,
            pages,
            concurrency: defaultConcurrency,
            readAttempts,
            maxRequestsPerFiveMinutes: defaultMaxRequestsPerFiveMinutes,
            rounds: options.rounds,
            warmupRounds: options.warmupRounds,
            changeAfterPages,
            rows: { quiet: row("quiet"), oneChange: row("oneChange"), everyRequest: row("everyRequest") },
            loadAverages,
            cores: os.cpus().length,
        };
    } finally {
        await api.stop();
    }
}

/** Each variant must end as the section says, else its numbers measure something else. */
function checkSample(variant: DriftVariant, s: DriftSample, expected: { users: number; pages: number }): void {
    const o = s.outcome;
    const reads = s.requestsPerRead.length;
    const fail = (what: string) => {
        const ended = o.kind === "summary" ? `${o.users} users` : `${o.name}: ${o.message}`;
        throw new Error(`drift: ${variant} ${what}; it ended with ${ended} after ${s.requests} requests in ${reads} reads`);
    };
    if (variant === "everyRequest") {
        if (o.kind !== "error" || o.name !== "InconsistentReadError") fail("should end in InconsistentReadError");
        if (o.kind === "error" && (o.attempts !== readAttempts || reads !== readAttempts || o.pagesRequested !== s.requests))
            fail(`should end after ${readAttempts} reads, the client counting the requests the server logged`);
        return;
    }
    if (o.kind !== "summary") return fail("should return a summary");
    // A read that returned lists the account as it was once the read ended: every user, the moved one at high risk.
    if (o.users !== expected.users || o.highRiskUsers !== s.accountHighRiskUsers)
        fail(`should list the ${expected.users} users with the ${s.accountHighRiskUsers} high-risk users the account then had`);
    const wantedReads = variant === "quiet" ? 1 : 2;
    if (reads !== wantedReads) fail(`should take ${wantedReads} reads`);
    if (variant === "quiet" && s.requests !== expected.pages) fail(`should take ${expected.pages} requests`);
}
