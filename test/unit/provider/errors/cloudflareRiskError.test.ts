import { spawn } from "node:child_process";
import * as path from "node:path";
import { inspect } from "node:util";
import { CloudflareRequestError } from "../../../../provider/client/errors";
import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";
import { StackExportFileError } from "../../../../sdk/report/errors";

// Node 20.19.6 and later loop until the heap runs out in `util.inspect(err, { colors: true })` when a
// stack frame holds `node_modules/<scope>/<file>` with no separator after the file (nodejs/node#64011).
// @pulumi/pulumi's source maps produce exactly such frames, and its program runner inspects every
// uncaught error that way. Coloured inspection therefore only ever runs in a child process here, so a
// regression fails the test instead of hanging jest.

const providerDir = path.resolve(__dirname, "..", "..", "..", "..", "provider");
/** The modules of the two errors the child builds: an argument error and a request error with a cause. */
const errorModules = [path.join(providerDir, "arguments", "errors.ts"), path.join(providerDir, "client", "errors.ts")];

/** The frames of an error thrown inside an apply, as @pulumi/pulumi's source maps make them. */
const pulumiFrames = [
    "    at validateAccountId (/app/arguments/checks.ts:31:9)",
    "    at applyHelperAsync (/app/node_modules/@pulumi/output.ts:516)",
    "    at /app/node_modules/@pulumi/output.ts:378:13",
];

interface Rendered {
    coloured: string;
    /** The same error inside an object, as a logger would print it. */
    nested: string;
    /** What Node itself shows without colours (custom inspection off), for comparison. */
    nodePlain: string;
    ms: number;
}

// Runs in the child: loads the TypeScript sources (transpiled on require, no build needed), builds
// the errors and prints how they inspect, as one JSON line.
const childScript = `
const fs = require("node:fs");
const ts = require("typescript");
const util = require("node:util");
require.extensions[".ts"] = (module, file) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: file,
    });
    module._compile(outputText, file);
};
const [argumentErrors, clientErrors, framesJson] = process.argv.slice(1);
const { RiskSummaryArgumentError } = require(argumentErrors);
const { CloudflareRequestError } = require(clientErrors);
const frames = JSON.parse(framesJson).join("\\n");
const withFrames = (error) => {
    error.stack = error.stack.slice(0, error.stack.indexOf("\\n    at")) + "\\n" + frames;
    return error;
};
const argument = withFrames(new RiskSummaryArgumentError("accountId", "expected 32 hexadecimal characters, got a string of 7 characters", "Copy the account id from the dashboard."));
// A cause this package does not own, with the same frames: it must not be coloured either.
const cause = withFrames(new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }));
withFrames(cause.cause);
const request = withFrames(new CloudflareRequestError("GET /accounts/x/risk failed after 3 attempts. Check that baseUrl is reachable.", 3, "/accounts/x/risk", { cause }));
const render = (error) => {
    const started = Date.now();
    const coloured = util.inspect(error, { colors: true });
    const nested = util.inspect({ error }, { colors: true });
    return { coloured, nested, nodePlain: util.inspect(error, { customInspect: false }), ms: Date.now() - started };
};
process.stdout.write(JSON.stringify({ argument: render(argument), request: render(request) }) + "\\n");
`;

/** Inspects the errors in a child process; fails (and kills it) if it has not finished by `limitMs`. */
function renderInChild(limitMs: number): Promise<{ argument: Rendered; request: Rendered }> {
    const child = spawn(process.execPath, ["-e", childScript, ...errorModules, JSON.stringify(pulumiFrames)], {
        cwd: path.resolve(__dirname, "..", "..", "..", ".."),
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    return new Promise((resolve, reject) => {
        const killer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(
                new Error(
                    `util.inspect(err, { colors: true }) had not returned after ${limitMs} ms: the Node.js loop of nodejs/node#64011 (stderr: ${stderr.slice(0, 2000) || "nothing"})`,
                ),
            );
        }, limitMs);
        child.once("error", (error) => {
            clearTimeout(killer);
            reject(error);
        });
        child.once("close", (code, signal) => {
            clearTimeout(killer);
            try {
                resolve(JSON.parse(stdout));
            } catch {
                reject(new Error(`the child printed no result (exit ${code}, signal ${signal}); stderr: ${stderr.slice(0, 2000)}`));
            }
        });
    });
}

describe("inspecting the package's errors", () => {
    // A hang guard, not a speed test: the loop runs until the heap is exhausted (a minute or more).
    const limitMs = 20_000;
    let rendered: { argument: Rendered; request: Rendered };
    beforeAll(async () => {
        rendered = await renderInChild(limitMs);
    }, limitMs + 5_000);

    it("returns at once with colours, even with a node_modules/@scope/file frame", () => {
        expect(rendered.argument.ms).toBeLessThan(limitMs);
        expect(rendered.request.ms).toBeLessThan(limitMs);
    });

    it("shows what Node shows for an Error without colours: name, message, frames and own properties", () => {
        const { coloured, nodePlain } = rendered.argument;
        expect(coloured).toBe(nodePlain);
        expect(coloured).not.toMatch(/\u001b\[/);
        expect(coloured).toContain(
            'RiskSummaryArgumentError: Invalid argument "accountId": expected 32 hexadecimal characters, got a string of 7 characters. Copy the account id from the dashboard.',
        );
        for (const frame of pulumiFrames) expect(coloured).toContain(frame);
        expect(coloured).toContain("argument: 'accountId'");
    });

    it("shows the cause chain, also uncoloured, as Node does", () => {
        const { coloured, nodePlain } = rendered.request;
        expect(coloured).toBe(nodePlain);
        expect(coloured).not.toMatch(/\u001b\[/);
        expect(coloured).toContain("CloudflareRequestError: GET /accounts/x/risk failed after 3 attempts.");
        expect(coloured).toContain("[cause]: TypeError: fetch failed");
        expect(coloured).toContain("[cause]: Error: other side closed");
        expect(coloured).toContain("code: 'UND_ERR_SOCKET'");
    });

    it("renders inside other values too, indented like any nested error", () => {
        const { nested } = rendered.argument;
        expect(nested).toMatch(/^\{\n {2}error: RiskSummaryArgumentError: Invalid argument "accountId"/);
        expect(nested).toContain(`\n  ${pulumiFrames[1]}`);
    });
});

describe("the printed error, when Pulumi serializes properties that depend on a failed Output", () => {
    // What @pulumi/pulumi's runtime/rpc.js does for each property the error reaches.
    const serialize = (error: Error, property: string) => {
        error.message = `error serializing property "${property}": ${error.message}`;
    };

    it("starts with the argument, the cause and the fix, with no serializing prefix", () => {
        const error = new RiskSummaryArgumentError("accountId", "expected 32 hexadecimal characters", "Copy the account id.");
        serialize(error, "accountId");
        serialize(error, "accountId");
        serialize(error, "outputs");
        const first =
            'RiskSummaryArgumentError: Invalid argument "accountId": expected 32 hexadecimal characters. Copy the account id.\n    at ';
        expect(error.stack!.startsWith(first)).toBe(true);
        expect(inspect(error).startsWith(first)).toBe(true);
        expect(inspect(error)).not.toContain("error serializing property");
    });

    it("keeps the message a plain data property, which structuredClone and postMessage copy", () => {
        const error = new CloudflareRequestError("GET /x failed after 3 attempts.", 3, "/x");
        expect(Object.getOwnPropertyDescriptor(error, "message")).toMatchObject({
            value: "GET /x failed after 3 attempts.",
            writable: true,
        });
        expect(structuredClone(error).message).toBe("GET /x failed after 3 attempts.");
    });

    it("does not print the rejected promise Pulumi attaches to the error", () => {
        const error = new StackExportFileError("stack.json", "ENOENT", "no such file");
        // What runtime/debuggable.js does with a rejection.
        const rejected = Promise.reject(error);
        rejected.catch(() => undefined);
        (error as unknown as { promise: Promise<never> }).promise = rejected;
        expect(inspect(error)).not.toContain("promise");
        expect(inspect(error)).not.toContain("Circular");
        expect(Object.keys(error)).not.toContain("promise");
    });
});
