import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import {
    type LocalCloudflareApi,
    type LocalCloudflareApiOptions,
    type ScriptedFailure,
    startLocalCloudflareApi,
} from "../../dev/local-api";
import {
    CloudflareResponseTooLargeError,
    type FetchRiskSummaryOptions,
    RiskSummaryArgumentError,
    type RiskUser,
    fetchRiskSummary,
} from "../../index";
import { setSharedRequestLimits } from "../../provider/client/limiter";
import { defaultMaxResponseBytes } from "../../provider/arguments/defaults";
import { validateClientOptions } from "../../provider/arguments/riskSummaryArgs";
import { byEmailThenId } from "../../provider/model/riskUser";
import { toRiskUser } from "../../provider/summary/toRiskUser";
import { validateRiskSummaryArgs } from "../../sdk/resources/validateRiskSummaryArgs";
import { rejection } from "../support/rejection";

/**
 * Every fault the API (or a proxy in front of it) can show, over real sockets: each read of the built
 * package runs in a process of its own against the embedded API, and must end with the exact data or
 * one typed error naming the cause and the fix, before `timeoutMs` + a margin, with no credential or
 * personal data in the error, and with nothing left that keeps the process alive.
 */

const repoRoot = path.resolve(__dirname, "..", "..");
const childScript = path.join(repoRoot, "test", "support", "fetchRiskSummaryChild.js");
/** Room for process start-up, scheduling on a busy machine, and timers that fire late. */
const settleMarginMs = 3_000;
/** A process with nothing left to do exits within milliseconds of printing its result. */
const exitMarginMs = 2_000;
const datasetSize = 60;
/**
 * The server pages by at most 20 whatever the client asks (it asks for 1,000 by default), so that the
 * 60 users take 3 pages and the faults between pages happen.
 */
const serverMaxPerPage = 20;

type ErrorClass =
    | "CloudflareApiError"
    | "CloudflareRequestError"
    | "CloudflareResponseError"
    | "CloudflareResponseTooLargeError"
    | "IncompletePaginationError"
    | "InconsistentReadError"
    | "RequestBudgetError"
    | "RiskSummaryValidationError";

interface FaultCase {
    fault: string;
    failures?: () => ScriptedFailure[];
    size?: number;
    /** Server settings beyond the matrix's dataset and page size. */
    server?: Pick<LocalCloudflareApiOptions, "maxPerPage" | "perPageAboveMax">;
    auth?: "token" | "key";
    options?: Pick<FetchRiskSummaryOptions, "timeoutMs" | "maxRetries" | "maxResponseBytes" | "concurrency">;
    /** The exact dataset, or one error of this class whose message contains every excerpt. */
    expected: { data: true } | { error: ErrorClass; message: (string | RegExp)[] };
    /** A wait the client must honour (Retry-After, the deadline), in milliseconds from queuing the failures to the result. */
    atLeastMs?: number;
    /** How many API requests the read may send, e.g. 1 for errors that are never retried. */
    requests?: number;
    /** A bound on the read's time, for errors that must come at once rather than at the deadline. */
    withinMs?: number;
}

const attemptsPerRequest = 3; // maxRetries 2, the default of the matrix
const cases: FaultCase[] = [
    {
        fault: "429 without Retry-After, then success",
        failures: () => [{ kind: "status", status: 429 }],
        expected: { data: true },
        requests: 4,
    },
    {
        fault: "429 with Retry-After in seconds, then success",
        failures: () => [{ kind: "status", status: 429, retryAfter: "1" }],
        expected: { data: true },
        atLeastMs: 950,
        requests: 4,
    },
    {
        fault: "429 with Retry-After as an HTTP date, then success",
        // The date has whole seconds: it is 1 to 2 s after the failure is queued.
        failures: () => [{ kind: "status", status: 429, retryAfter: new Date(Date.now() + 2_000).toUTCString() }],
        expected: { data: true },
        atLeastMs: 1_000,
        requests: 4,
    },
    {
        fault: "429 with a Retry-After past the deadline",
        failures: () => [{ kind: "status", status: 429, retryAfter: "120" }],
        expected: {
            error: "CloudflareRequestError",
            message: ["failed (HTTP 429)", "the next retry (in 120 s) would pass the deadline", "raise `timeoutMs`"],
        },
        requests: 1,
    },
    {
        fault: "429 on every attempt",
        auth: "key",
        failures: () => [{ kind: "status", status: 429, times: attemptsPerRequest }],
        expected: { error: "CloudflareApiError", message: ["(HTTP 429)", "[10429] Rate limited", "retry later or lower `concurrency`"] },
        requests: attemptsPerRequest,
    },
    ...[500, 502, 503].map((status): FaultCase => ({
        fault: `${status} once, then success`,
        failures: () => [{ kind: "status", status }],
        expected: { data: true },
        requests: 4,
    })),
    ...[500, 502, 503].map((status): FaultCase => ({
        fault: `${status} on every attempt`,
        failures: () => [{ kind: "status", status, times: attemptsPerRequest }],
        expected: {
            error: "CloudflareApiError",
            message: [`(HTTP ${status})`, `[${10000 + status}] Upstream error`, "failed on every attempt", "raise `maxRetries`"],
        },
        requests: attemptsPerRequest,
    })),
    { fault: "connection reset mid-body, once", failures: () => [{ kind: "resetMidBody" }], expected: { data: true }, requests: 4 },
    {
        fault: "connection reset mid-body on every attempt",
        auth: "key",
        failures: () => [{ kind: "resetMidBody", times: attemptsPerRequest }],
        expected: { error: "CloudflareRequestError", message: ["failed after 3 attempts", "Check that `baseUrl` is reachable"] },
        requests: attemptsPerRequest,
    },
    {
        fault: "server accepts and never answers",
        auth: "key",
        failures: () => [{ kind: "hang", times: 10 }],
        options: { timeoutMs: 1_500 },
        expected: { error: "CloudflareRequestError", message: ["did not complete before the deadline (`timeoutMs`)", "Raise `timeoutMs`"] },
        atLeastMs: 1_400,
        requests: 1,
    },
    {
        fault: "body trickles past the deadline",
        failures: () => [{ kind: "trickle", bytes: 16, intervalMs: 100, times: 10 }],
        options: { timeoutMs: 1_500 },
        expected: { error: "CloudflareRequestError", message: ["did not complete before the deadline (`timeoutMs`)", "Raise `timeoutMs`"] },
        atLeastMs: 1_400,
        requests: 1,
    },
    {
        fault: "truncated JSON",
        failures: () => [{ kind: "malformed" }],
        expected: { error: "CloudflareResponseError", message: ["HTTP 200", "not valid JSON (truncated?)", "Check `baseUrl`"] },
        requests: 1,
    },
    {
        fault: "HTML error page from a proxy (502, every attempt)",
        failures: () => [{ kind: "html", status: 502, times: attemptsPerRequest }],
        expected: {
            error: "CloudflareResponseError",
            message: ["HTTP 502", "text/html", 'it starts with "<"', "Check `baseUrl` and any proxy"],
        },
        requests: attemptsPerRequest,
    },
    {
        fault: "success: false on HTTP 200",
        auth: "key",
        failures: () => [{ kind: "successFalse" }],
        expected: { error: "CloudflareApiError", message: ["(HTTP 200)", "[1002] Failed to get risk scores", "retry later"] },
        requests: 1,
    },
    {
        fault: 'unknown enum value (max_risk_level "critical")',
        auth: "key",
        failures: () => [{ kind: "unknownLevel", level: "critical", index: 3 }],
        expected: {
            error: "RiskSummaryValidationError",
            message: ["result.users[3].max_risk_level", 'found the string "critical"', "upgrade pulumi-cloudflare-risk"],
        },
        requests: 1,
    },
    {
        fault: "missing field (a user without email)",
        failures: () => [{ kind: "dropField", field: "email", index: 5 }],
        expected: { error: "RiskSummaryValidationError", message: ["result.users[5].email", "found nothing (the field is missing)"] },
        requests: 1,
    },
    { fault: "extra fields on every page", failures: () => [{ kind: "extraFields", times: 3 }], expected: { data: true }, requests: 3 },
    {
        // Pages 2 and 3 start with the last two users of the page before: read again, and the second read is whole.
        fault: "users listed on two pages in the first read",
        failures: () => [{ kind: "duplicateUsers", count: 2, times: 3 }],
        expected: { data: true },
        requests: 6,
    },
    {
        fault: "total_pages grows between pages (read again from page 1)",
        failures: () => [{ kind: "pass" }, { kind: "totalPages", totalPages: 5, times: 2 }],
        expected: { data: true },
        requests: 6,
    },
    {
        fault: "total_pages shrinks between pages (read again from page 1)",
        failures: () => [{ kind: "pass" }, { kind: "totalPages", totalPages: 1, times: 2 }],
        expected: { data: true },
        requests: 6,
    },
    {
        fault: "total_count changes on every read",
        // Each read: page 1 as it is, then page 2 counting a user more; with one page at a time, page 3 is never asked for.
        failures: () =>
            [1, 2, 3].flatMap((): ScriptedFailure[] => [{ kind: "pass" }, { kind: "totalPages", totalPages: 3, totalCount: 61 }]),
        options: { concurrency: 1 },
        expected: {
            error: "InconsistentReadError",
            message: [
                "changed while it was being read, 3 times in a row (6 pages requested",
                "read 1: page 2 reported 61 users in 3 pages where page 1 reported 60 in 3",
                "nothing was returned or stored",
                "`perPage`",
            ],
        },
        requests: 6,
    },
    {
        fault: "total_pages below what total_count needs, on every page",
        failures: () => [{ kind: "totalPages", totalPages: 2, times: 3 }],
        expected: {
            error: "IncompletePaginationError",
            message: ["Read 40 of 60 users over 2 pages", "the pages ended before `result_info.total_count`"],
        },
        requests: 2,
    },
    {
        fault: "page parameter ignored",
        // On every read: a changing account can repeat page 1 once, a server that ignores `page` always does.
        failures: () => [{ kind: "ignorePage", times: 9 }],
        expected: {
            error: "IncompletePaginationError",
            message: [
                "Read 20 of 60 users over 9 pages",
                "on each of 3 reads, later pages listed the users of page 1 again, as if the server ignored the `page` parameter",
                "forwards the `page` and `per_page`",
            ],
        },
        requests: 9,
    },
    { fault: "empty account", size: 0, expected: { data: true }, requests: 1 },
    ...(
        [
            ["per_page 0", { set: { per_page: 0 } }],
            ["total_pages 1", { set: { total_pages: 1 } }],
            ["every count 0 (page and per_page too)", { set: { count: 0, page: 0, per_page: 0, total_count: 0, total_pages: 0 } }],
            ["no result_info", { whole: "absent" }],
            ["result_info null", { whole: "null" }],
        ] as const
    ).map(([shape, edit]): FaultCase => ({
        fault: `empty account, ${shape}`,
        size: 0,
        failures: () => [{ kind: "resultInfo", ...edit }],
        expected: { data: true },
        requests: 1,
    })),
    {
        fault: "per_page refused (HTTP 400 naming per_page)",
        server: { perPageAboveMax: "refuse" },
        expected: { data: true },
        // The refused page 1, page 1 again without per_page, then pages 2 and 3 of the server's 20.
        requests: 4,
    },
    {
        fault: "more pages than the rate limit lets start before the deadline",
        // 30,000 users in pages of 20: 1,499 pages after page 1, 1,199 of them within 1,200 requests per five minutes.
        size: 30_000,
        expected: {
            error: "RequestBudgetError",
            message: [
                "announces 30000 users in 1500 pages of 20",
                "only 1199 of the 1499 remaining pages could start within `timeoutMs` (60000 ms)",
                "`perPage`",
                /raise `timeoutMs` above 30\d000/,
                "`cloudflare-risk:maxRequestsPerFiveMinutes`",
            ],
        },
        requests: 1,
        withinMs: 5_000,
    },
    {
        fault: "large response under maxResponseBytes",
        failures: () => [{ kind: "oversized", bytes: 512 * 1024 }],
        options: { maxResponseBytes: 1024 * 1024 },
        expected: { data: true },
        requests: 3,
    },
    {
        fault: "response far larger than maxResponseBytes (content-length)",
        failures: () => [{ kind: "oversized", bytes: 64 * 1024 * 1024 }],
        options: { maxResponseBytes: 1024 * 1024 },
        expected: {
            error: "CloudflareResponseTooLargeError",
            message: [/content-length \(\d+ bytes\) is above the cap of 1048576 bytes/, "Raise `maxResponseBytes` or lower `perPage`"],
        },
        requests: 1,
    },
    {
        fault: "response far larger than maxResponseBytes (chunked, no content-length)",
        failures: () => [{ kind: "oversized", bytes: 64 * 1024 * 1024, chunked: true }],
        options: { maxResponseBytes: 1024 * 1024 },
        expected: {
            error: "CloudflareResponseTooLargeError",
            message: ["its body passed the cap of 1048576 bytes", "Raise `maxResponseBytes` or lower `perPage`"],
        },
        requests: 1,
    },
];

interface ChildError {
    name: string;
    classes: string[];
    isRiskSummaryError: boolean;
    message: string;
    stack: string;
    own: Record<string, unknown>;
    cause?: ChildError | { value: string };
}

interface ChildOutcome {
    ok: boolean;
    users?: RiskUser[];
    error?: ChildError;
    settledMs: number;
    activeResources: string[];
}

interface ChildRun {
    outcome: ChildOutcome;
    /** When the result was printed (epoch milliseconds, the parent's clock). */
    printedAt: number;
    /** From printing the result to exiting. */
    exitLagMs: number;
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
}

/** Runs one read in a child process; kills it (and fails) if it has not exited by `hardLimitMs`. */
function runChild(options: FetchRiskSummaryOptions, hardLimitMs: number): Promise<ChildRun> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CLOUDFLARE_")));
    const child = spawn(process.execPath, [childScript, JSON.stringify(options)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let printedAt: number | undefined;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
        stdout += text;
        if (printedAt === undefined && stdout.includes("\n")) printedAt = Date.now();
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    return new Promise((resolve, reject) => {
        const killer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(
                new Error(
                    `the child process was still running after ${hardLimitMs} ms (printed: ${stdout || "nothing"}; stderr: ${stderr || "nothing"})`,
                ),
            );
        }, hardLimitMs);
        child.once("error", (error) => {
            clearTimeout(killer);
            reject(error);
        });
        child.once("close", (code, signal) => {
            clearTimeout(killer);
            const exitedAt = Date.now();
            const line = stdout.split("\n")[0] ?? "";
            try {
                resolve({
                    outcome: JSON.parse(line) as ChildOutcome,
                    printedAt: printedAt ?? exitedAt,
                    exitLagMs: exitedAt - (printedAt ?? exitedAt),
                    code,
                    signal,
                    stderr,
                });
            } catch {
                reject(
                    new Error(`the child process printed no result (exit ${code}, signal ${signal}); stdout: ${stdout}; stderr: ${stderr}`),
                );
            }
        });
    });
}

/** Everything of the error chain, as text: message, stack, own properties, causes. */
function errorText(error: ChildError | { value: string } | undefined): string {
    return JSON.stringify(error ?? null);
}

function expectedUsers(api: LocalCloudflareApi): RiskUser[] {
    return api.users().map(toRiskUser).sort(byEmailThenId);
}

/** The build under test must be the sources under test. */
async function assertBuildIsCurrent(): Promise<void> {
    for (const folder of ["provider/errors", "provider/arguments", "provider/client", "provider/summary"]) {
        const sources = (await fs.readdir(path.join(repoRoot, folder))).filter((f) => f.endsWith(".ts"));
        for (const source of sources) {
            const built = path.join(repoRoot, "dist", folder, source.replace(/\.ts$/, ".js"));
            const [src, out] = await Promise.all([fs.stat(path.join(repoRoot, folder, source)), fs.stat(built).catch(() => undefined)]);
            if (out === undefined || out.mtimeMs < src.mtimeMs) {
                throw new Error(
                    `dist/${folder}/${path.basename(built)} is missing or older than ${folder}/${source}: run \`npm run build\` before these tests.`,
                );
            }
        }
    }
}

beforeAll(assertBuildIsCurrent);

describe("fault matrix: fetchRiskSummary of the build, in a child process, against the embedded API", () => {
    it.each(cases.map((c) => [c.fault, c] as const))(
        "%s",
        async (_, c) => {
            const timeoutMs = c.options?.timeoutMs ?? 10_000;
            const api = await startLocalCloudflareApi({ size: c.size ?? datasetSize, seed: 7, maxPerPage: serverMaxPerPage, ...c.server });
            try {
                const credentials =
                    c.auth === "key"
                        ? { apiKey: api.credentials.apiKey, email: api.credentials.email }
                        : { apiToken: api.credentials.apiToken };
                const options: FetchRiskSummaryOptions = {
                    accountId: api.accountId,
                    baseUrl: api.baseUrl,
                    maxRetries: 2,
                    ...credentials,
                    ...c.options,
                };
                const queuedAt = Date.now();
                if (c.failures) api.failNext(c.failures());
                const run = await runChild(options, timeoutMs + settleMarginMs + 5_000);
                const { outcome } = run;
                const context = `${c.fault}: ${JSON.stringify({ ...outcome, users: outcome.users?.length })}; stderr: ${run.stderr}`;

                // Bounded time, and a process that ends by itself, cleanly, right after its result.
                expect({ context, settledWithinBound: outcome.settledMs <= timeoutMs + settleMarginMs }).toEqual({
                    context,
                    settledWithinBound: true,
                });
                if (c.atLeastMs !== undefined) expect(run.printedAt - queuedAt).toBeGreaterThanOrEqual(c.atLeastMs);
                if (c.withinMs !== undefined) expect(outcome.settledMs).toBeLessThanOrEqual(c.withinMs);
                expect({ context, code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
                    context,
                    code: 0,
                    signal: null,
                    stderr: "",
                });
                expect(run.exitLagMs).toBeLessThan(exitMarginMs);

                if ("data" in c.expected) {
                    expect({ context, ok: outcome.ok }).toEqual({ context, ok: true });
                    expect(outcome.users).toEqual(expectedUsers(api));
                } else {
                    expect({ context, ok: outcome.ok }).toEqual({ context, ok: false });
                    const error = outcome.error as ChildError;
                    expect(error.name).toBe(c.expected.error);
                    expect(error.classes).toEqual(expect.arrayContaining([c.expected.error, "CloudflareRiskError", "Error"]));
                    expect(error.isRiskSummaryError).toBe(true);
                    for (const excerpt of c.expected.message) {
                        if (typeof excerpt === "string") expect(error.message).toContain(excerpt);
                        else expect(error.message).toMatch(excerpt);
                    }
                    // No credential, and no email or name of the dataset, anywhere in the error chain.
                    const text = errorText(error).toLowerCase();
                    for (const secret of [api.credentials.apiToken, api.credentials.apiKey, api.credentials.email]) {
                        expect(text).not.toContain(secret.toLowerCase());
                    }
                    for (const user of api.users()) {
                        expect(text).not.toContain(user.email.toLowerCase());
                        expect(text).not.toContain(user.name.toLowerCase());
                    }
                }
                if (c.requests !== undefined) expect(api.requests).toHaveLength(c.requests);
            } finally {
                await api.stop();
            }
        },
        30_000,
    );
});

describe("maxResponseBytes", () => {
    let api: LocalCloudflareApi;
    let options: FetchRiskSummaryOptions;
    beforeAll(async () => {
        api = await startLocalCloudflareApi({ size: datasetSize, seed: 7, maxPerPage: serverMaxPerPage });
        options = { accountId: api.accountId, baseUrl: api.baseUrl, apiToken: api.credentials.apiToken, maxRetries: 2 };
    });
    afterAll(() => api.stop());
    beforeEach(() => {
        api.reset();
        // A 429's pause applies to the whole process by design; each case starts without one.
        setSharedRequestLimits({});
    });

    it("defaults to 64 MiB and is validated like the other client options", () => {
        expect(defaultMaxResponseBytes).toBe(64 * 1024 * 1024);
        expect(validateClientOptions({ maxResponseBytes: 1024 }).maxResponseBytes).toBe(1024);
        expect(validateClientOptions({ maxResponseBytes: 1024 ** 3 }).maxResponseBytes).toBe(1024 ** 3);
        for (const bad of [1023, 1024 ** 3 + 1, 1.5, "1048576"]) {
            const error = (() => {
                try {
                    validateClientOptions({ maxResponseBytes: bad });
                } catch (e) {
                    return e;
                }
                return undefined;
            })();
            expect(error).toBeInstanceOf(RiskSummaryArgumentError);
            expect((error as RiskSummaryArgumentError).argument).toBe("maxResponseBytes");
        }
        expect(validateRiskSummaryArgs({ accountId: api.accountId, maxResponseBytes: 2048 })).toMatchObject({ maxResponseBytes: 2048 });
        expect(() => validateRiskSummaryArgs({ accountId: api.accountId, maxResponseBytes: 10 })).toThrow(
            /Invalid argument "maxResponseBytes": expected an integer from 1024 to 1073741824, got 10/,
        );
    });

    it("is rejected before any request when out of range", async () => {
        const error = await rejection(fetchRiskSummary({ ...options, maxResponseBytes: 0 }));
        expect(error).toBeInstanceOf(RiskSummaryArgumentError);
        expect(api.requests).toHaveLength(0);
    });

    it.each([
        ["announced by content-length, before the body is read", false, /content-length \(\d+ bytes\) is above the cap of 4096 bytes/],
        ["passed while reading a chunked body", true, /its body passed the cap of 4096 bytes/],
    ])("fails a response %s, without retrying", async (_, chunked, excerpt) => {
        api.failNext([{ kind: "oversized", bytes: 8 * 1024 * 1024, chunked }]);
        const error = await rejection(fetchRiskSummary({ ...options, maxResponseBytes: 4096 }));
        expect(error).toBeInstanceOf(CloudflareResponseTooLargeError);
        expect(error.message).toMatch(excerpt);
        expect(error.message).toContain(`GET /client/v4/accounts/${api.accountId}/zt_risk_scoring/summary`);
        expect((error as CloudflareResponseTooLargeError).maxResponseBytes).toBe(4096);
        expect(api.requests).toHaveLength(1);
    });

    it("accepts pages up to the cap", async () => {
        // The largest of the three pages, plus a little: every page fits.
        const summary = await fetchRiskSummary({ ...options, maxResponseBytes: 8 * 1024 });
        expect(summary.users).toEqual(expectedUsers(api));
    });
});
