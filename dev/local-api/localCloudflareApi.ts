import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { type WireRiskUser } from "../../provider/client/schema";
import { type RiskLevel } from "../../provider/model/riskLevel";
import { LocalAccounts } from "./accounts";
import { apiErrors } from "./cloudflareEnvelope";
import { controlPathPrefix, handleControlRequest, type ControlTarget } from "./controlRoutes";
import { authSchemeOf, defaultLocalCredentials, type LocalCredentials } from "./credentials";
import { respondWithFailure } from "./faultResponses";
import { maxPerPage, requestedPage, serverDefaultPerPage, type PageSizeLimits } from "./paging";
import { json, sendReply, type Reply } from "./reply";
import { RequestLog, type RequestLogEntry } from "./requestLog";
import { type RiskDatasetOptions } from "./riskDataset";
import { type ScriptedDrift } from "./scriptedDrift";
import { ScriptedFailureQueue, type ScriptedFailure } from "./scriptedFailures";
import { apiPathPrefix, summaryAccountId, SummaryEndpoint } from "./summaryEndpoint";

/**
 * A Cloudflare-compatible HTTP server for the risk scoring summary endpoint, on 127.0.0.1, with
 * knobs (dataset, latency, scripted failures, scripted drift, request log) for tests and the demo.
 */

export { defaultAccountId } from "./accounts";
export { apiPathPrefix } from "./summaryEndpoint";

export interface LocalCloudflareApiOptions {
    /** TCP port on 127.0.0.1; 0 (default) lets the kernel choose. */
    port?: number;
    /** The (default) account; must be 32 lowercase hex. Default `defaultAccountId`, or the first key of `accounts`. */
    accountId?: string;
    /** Dataset of the default account when `accounts` is not given. */
    size?: number;
    seed?: number;
    domains?: readonly string[];
    /** Several accounts, each with its own dataset. */
    accounts?: Record<string, RiskDatasetOptions>;
    /** Accepted credentials; unspecified ones keep `defaultLocalCredentials`. */
    credentials?: Partial<LocalCredentials>;
    /** Delay before every API response, in milliseconds (default 0). */
    latencyMs?: number;
    /** Serve `/__control/*` (default true). */
    control?: boolean;
    /** Page size when a request sends no `per_page` (default 20, as Cloudflare). */
    defaultPerPage?: number;
    /** Largest `per_page` honoured; larger asks are clamped (default 1000). */
    maxPerPage?: number;
    /** What a `per_page` above `maxPerPage` gets: clamped (default), or refused with a 400 naming `per_page`. */
    perPageAboveMax?: "clamp" | "refuse";
    /** Page by `defaultPerPage` whatever `per_page` asks (default false), as some servers do; `result_info.per_page` says so. */
    ignorePerPage?: boolean;
    /**
     * Keep each page's serialized body, encoded, until a dataset changes (default false): for
     * benchmarks, where encoding 100,000 users on every request would dominate what is measured.
     */
    cachePages?: boolean;
}

export interface LocalCloudflareApi {
    /** e.g. `http://127.0.0.1:43121/client/v4`, what a Cloudflare client takes as its base URL. */
    readonly baseUrl: string;
    /** e.g. `http://127.0.0.1:43121`, where `/__control/*` lives. */
    readonly origin: string;
    readonly port: number;
    /** The default account. */
    readonly accountId: string;
    readonly accountIds: readonly string[];
    readonly credentials: Readonly<LocalCredentials>;
    /** Copy of an account's current users, in the order the API pages them. */
    users(accountId?: string): WireRiskUser[];
    /** Changes a user's level for subsequent requests; throws `LocalApiNotFoundError` for an unknown user or account. */
    setUserLevel(emailOrUserId: string, level: RiskLevel, accountId?: string): WireRiskUser;
    /** Adds a user at the end of the account's list (for trends: a user who appeared). */
    addUser(user: WireRiskUser, accountId?: string): void;
    /** Removes a user (for trends: a user who left); throws `LocalApiNotFoundError` if unknown. */
    removeUser(emailOrUserId: string, accountId?: string): WireRiskUser;
    setLatency(ms: number): void;
    /** Queues failures for the next API (non-control) requests, in order. */
    failNext(failures: ScriptedFailure[]): void;
    /**
     * Queues changes to an account's users (default: the default account), in order: each request of
     * that account answered normally (a 200 page, with no scripted failure but `pass`) uses one, applied
     * right after its body was rendered, so the next request sees the change. Throws a `ZodError` for
     * an invalid step, `LocalApiNotFoundError` for an unknown account.
     */
    driftNext(steps: ScriptedDrift[], accountId?: string): void;
    /** Snapshot of the API requests received so far (control requests are not logged). */
    readonly requests: RequestLogEntry[];
    /** The most API requests that were open at once since the start, the last `reset()` or `resetRequestLog()`. */
    readonly peakInFlight: number;
    resetRequestLog(): void;
    /** Back to the start state: original datasets, initial latency, no queued failures or drift, empty log. */
    reset(): void;
    /** Closes the server and destroys every open socket, hanging ones included. */
    stop(): Promise<void>;
}

function checkMs(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`latency must be a non-negative integer of milliseconds, got ${ms}`);
    return ms;
}

function checkPageSizes(options: LocalCloudflareApiOptions): PageSizeLimits {
    const sizes = { defaultPerPage: options.defaultPerPage ?? serverDefaultPerPage, maxPerPage: options.maxPerPage ?? maxPerPage };
    for (const [name, value] of Object.entries(sizes)) {
        if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (sizes.defaultPerPage > sizes.maxPerPage)
        throw new RangeError(`defaultPerPage (${sizes.defaultPerPage}) must not exceed maxPerPage (${sizes.maxPerPage})`);
    const aboveMax = options.perPageAboveMax ?? "clamp";
    if (aboveMax !== "clamp" && aboveMax !== "refuse")
        throw new RangeError(`perPageAboveMax must be "clamp" or "refuse", got ${String(aboveMax)}`);
    return { ...sizes, aboveMax, ignorePerPage: options.ignorePerPage === true };
}

export async function startLocalCloudflareApi(options: LocalCloudflareApiOptions = {}): Promise<LocalCloudflareApi> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0..65535, got ${port}`);
    // Every change of a dataset drops the cached pages (the endpoint is made before any change can happen).
    const accounts = new LocalAccounts(options, () => summary.forgetPages());
    const credentials: Readonly<LocalCredentials> = Object.freeze({ ...defaultLocalCredentials, ...options.credentials });
    const initialLatency = checkMs(options.latencyMs ?? 0);
    const controlEnabled = options.control ?? true;
    const summary = new SummaryEndpoint(accounts, credentials, checkPageSizes(options), options.cachePages === true);

    let latencyMs = initialLatency;
    const failures = new ScriptedFailureQueue();
    const log = new RequestLog();
    // Aborted by stop(), so that no latency timer outlives the server.
    const stopping = new AbortController();
    // Every request waiting out the latency listens on it: many at once is normal, not a leak.
    setMaxListeners(0, stopping.signal);

    const state: ControlTarget = {
        setUserLevel: (emailOrUserId, level, accountId) => accounts.setUserLevel(emailOrUserId, level, accountId),
        failNext: (list) => failures.push(list),
        driftNext: (steps, accountId) => accounts.driftNext(steps, accountId),
        setLatency: (ms) => {
            latencyMs = checkMs(ms);
        },
        requestLog: () => log.snapshot(),
        reset() {
            accounts.reset();
            latencyMs = initialLatency;
            failures.clear();
            log.clear();
        },
    };

    /**
     * The endpoint's normal answer, after which the account's next drift step (if any) is applied:
     * the body is already rendered, so only later requests see the change.
     */
    const normalReply = (req: IncomingMessage, url: URL): Reply => {
        const reply = summary.reply(req, url, false, true);
        if (reply.status === 200) accounts.applyNextDrift(summaryAccountId(url.pathname));
        return reply;
    };

    /** Routes a request: control routes, else the API (logged), with the next scripted failure if any, after the latency. */
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        if (controlEnabled && url.pathname.startsWith(controlPathPrefix)) {
            const reply = await handleControlRequest(req, url.pathname, state);
            return sendReply(res, undefined, json(reply.status, reply.body));
        }
        const entry = log.add({
            method: req.method ?? "GET",
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            page: requestedPage(url.searchParams),
            status: null,
            authScheme: authSchemeOf(req.headers),
        });
        // Taken before the delay, so failures apply in arrival order even with latency.
        const failure = failures.take();
        if (latencyMs > 0) await delay(latencyMs, undefined, { signal: stopping.signal });
        if (failure)
            return respondWithFailure(failure, req, res, url, entry, {
                summary: (forcePage1) => summary.reply(req, url, forcePage1),
                normal: () => normalReply(req, url),
                served: () => accounts.current(summaryAccountId(url.pathname)),
            });
        sendReply(res, entry, normalReply(req, url));
    };

    // Open API requests, from arrival until the response is done or the socket is gone.
    let inFlight = 0;
    let peakInFlight = 0;
    const server = createServer((req, res) => {
        if (!(controlEnabled && (req.url ?? "").startsWith(controlPathPrefix))) {
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
            res.once("close", () => inFlight--);
        }
        handle(req, res).catch((error: unknown) => {
            if (stopping.signal.aborted) return; // stop() already destroyed the socket.
            if (res.headersSent) {
                res.destroy();
                return;
            }
            sendReply(res, undefined, json(500, apiErrors.status(500)));
            console.error("local-api: request failed", error);
        });
    });

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    const actualPort = (server.address() as AddressInfo).port;
    const origin = `http://127.0.0.1:${actualPort}`;

    let stopped: Promise<void> | undefined;
    return {
        baseUrl: `${origin}${apiPathPrefix}`,
        origin,
        port: actualPort,
        accountId: accounts.defaultId,
        accountIds: accounts.ids,
        credentials,
        users: (accountId) => accounts.users(accountId),
        setUserLevel: (emailOrUserId, level, accountId) => accounts.setUserLevel(emailOrUserId, level, accountId),
        addUser: (user, accountId) => accounts.addUser(user, accountId),
        removeUser: (emailOrUserId, accountId) => accounts.removeUser(emailOrUserId, accountId),
        setLatency: (ms) => state.setLatency(ms),
        failNext: (list) => state.failNext(list),
        driftNext: (steps, accountId) => state.driftNext(steps, accountId),
        get requests() {
            return log.snapshot();
        },
        get peakInFlight() {
            return peakInFlight;
        },
        resetRequestLog: () => {
            log.clear();
            peakInFlight = inFlight;
        },
        reset: () => {
            state.reset();
            peakInFlight = inFlight;
        },
        stop() {
            stopped ??= new Promise<void>((resolve, reject) => {
                stopping.abort();
                server.close((error) => (error ? reject(error) : resolve()));
                // close() only waits for connections to end; hanging and keep-alive ones are ended here.
                server.closeAllConnections();
            });
            return stopped;
        },
    };
}
