import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { type WireRiskUser } from "../../provider/client/schema";
import { riskLevels, type RiskLevel } from "../../provider/model/riskLevel";
import { apiErrors, htmlErrorPage, summaryEnvelope } from "./cloudflareEnvelope";
import { controlPathPrefix, handleControlRequest, LocalApiNotFoundError, type ControlTarget } from "./controlRoutes";
import { editPage, sendOversized, sendTrickle } from "./faultResponses";
import { authSchemeOf, defaultLocalCredentials, isAuthorized, type LocalCredentials } from "./credentials";
import { defaultPerPage, maxPerPage, pageOf, parsePaging, perPageTooLargeMessage, requestedPage, type PageSizeLimits } from "./paging";
import { RequestLog, type RequestLogEntry } from "./requestLog";
import { defaultEmailDomains, generateRiskDataset, withRiskLevel, type RiskDatasetOptions } from "./riskDataset";
import { applyDrift, driftUser, ScriptedDriftQueue, type ScriptedDrift } from "./scriptedDrift";
import { ScriptedFailureQueue, type ScriptedFailure } from "./scriptedFailures";

/**
 * A Cloudflare-compatible HTTP server for the risk scoring summary endpoint, on 127.0.0.1, with
 * knobs (dataset, latency, scripted failures, scripted drift, request log) for tests and the demo.
 */

export const defaultAccountId = "0123456789abcdef0123456789abcdef";
export const apiPathPrefix = "/client/v4";
const summaryPath = /^\/client\/v4\/accounts\/([^/]+)\/zt_risk_scoring\/summary\/?$/;
const accountIdPattern = /^[0-9a-f]{32}$/;

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

interface AccountState {
    readonly original: readonly WireRiskUser[];
    current: WireRiskUser[];
    /** The domain of the users a drift inserts: the account's first (main) email domain. */
    readonly domain: string;
    readonly drift: ScriptedDriftQueue;
    /** Users a drift inserted since the start or the last reset, so each new one is another. */
    inserted: number;
}

function checkAccountId(accountId: string): string {
    if (!accountIdPattern.test(accountId))
        throw new RangeError(`account id must be 32 lowercase hex characters, got ${JSON.stringify(accountId)}`);
    return accountId;
}

function checkMs(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`latency must be a non-negative integer of milliseconds, got ${ms}`);
    return ms;
}

function checkPageSizes(options: LocalCloudflareApiOptions): PageSizeLimits {
    const sizes = { defaultPerPage: options.defaultPerPage ?? defaultPerPage, maxPerPage: options.maxPerPage ?? maxPerPage };
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

function buildAccounts(options: LocalCloudflareApiOptions): { defaultId: string; accounts: Map<string, AccountState> } {
    const specs: [string, RiskDatasetOptions][] = options.accounts
        ? Object.entries(options.accounts)
        : [[options.accountId ?? defaultAccountId, { size: options.size, seed: options.seed, domains: options.domains }]];
    if (specs.length === 0) throw new RangeError("accounts must name at least one account");
    const accounts = new Map<string, AccountState>();
    for (const [id, spec] of specs) {
        const users = generateRiskDataset(spec);
        accounts.set(checkAccountId(id), {
            original: users,
            current: users.map((u) => ({ ...u })),
            domain: (spec.domains ?? defaultEmailDomains)[0] as string,
            drift: new ScriptedDriftQueue(),
            inserted: 0,
        });
    }
    const defaultId = options.accountId ?? (specs[0] as [string, RiskDatasetOptions])[0];
    if (!accounts.has(defaultId)) throw new RangeError(`accountId ${defaultId} is not one of accounts`);
    return { defaultId, accounts };
}

interface Reply {
    status: number;
    body: string;
    contentType: string;
    headers?: Record<string, string>;
    /** `body` already encoded as UTF-8 (a cached page). */
    encoded?: Buffer;
}

const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value), contentType: "application/json" });

export async function startLocalCloudflareApi(options: LocalCloudflareApiOptions = {}): Promise<LocalCloudflareApi> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0..65535, got ${port}`);
    const { defaultId, accounts } = buildAccounts(options);
    const credentials: Readonly<LocalCredentials> = Object.freeze({ ...defaultLocalCredentials, ...options.credentials });
    const initialLatency = checkMs(options.latencyMs ?? 0);
    const controlEnabled = options.control ?? true;
    const pageSizes = checkPageSizes(options);
    // Normal answers by account, page and page size; emptied whenever a dataset changes.
    const pageCache = options.cachePages === true ? new Map<string, Reply>() : undefined;

    let latencyMs = initialLatency;
    const failures = new ScriptedFailureQueue();
    const log = new RequestLog();
    // Aborted by stop(), so that no latency timer outlives the server.
    const stopping = new AbortController();
    // Every request waiting out the latency listens on it: many at once is normal, not a leak.
    setMaxListeners(0, stopping.signal);

    const account = (accountId: string | undefined): AccountState => {
        const state = accounts.get(accountId ?? defaultId);
        if (!state) throw new LocalApiNotFoundError(`unknown account ${accountId}`);
        return state;
    };

    const userIndex = (users: readonly WireRiskUser[], emailOrUserId: string): number => {
        const wanted = emailOrUserId.toLowerCase();
        const index = users.findIndex((u) => u.user_id === emailOrUserId || u.email.toLowerCase() === wanted);
        if (index < 0) throw new LocalApiNotFoundError(`unknown user ${emailOrUserId}`);
        return index;
    };

    const state: ControlTarget = {
        setUserLevel(emailOrUserId, level, accountId) {
            if (!riskLevels.includes(level)) throw new RangeError(`level must be one of ${riskLevels.join(", ")}, got ${level}`);
            const users = account(accountId).current;
            const index = userIndex(users, emailOrUserId);
            const updated = withRiskLevel(users[index] as WireRiskUser, level);
            users[index] = updated;
            pageCache?.clear();
            return { ...updated };
        },
        failNext: (list) => failures.push(list),
        driftNext: (steps, accountId) => account(accountId).drift.push(steps),
        setLatency: (ms) => {
            latencyMs = checkMs(ms);
        },
        requestLog: () => log.snapshot(),
        reset() {
            for (const s of accounts.values()) {
                s.current = s.original.map((u) => ({ ...u }));
                s.drift.clear();
                s.inserted = 0;
            }
            pageCache?.clear();
            latencyMs = initialLatency;
            failures.clear();
            log.clear();
        },
    };

    /** The endpoint's normal answer; `forcePage1` is the "server ignores page" failure; `cached` may reuse an encoded page. */
    const summaryReply = (req: IncomingMessage, url: URL, forcePage1: boolean, cached = false): Reply => {
        const match = summaryPath.exec(url.pathname);
        if (!match) return json(404, apiErrors.noRoute(url.pathname.slice(apiPathPrefix.length) || "/"));
        if (req.method !== "GET") return { ...json(405, apiErrors.methodNotAllowed()), headers: { allow: "GET" } };
        if (!isAuthorized(req.headers, credentials)) return json(403, apiErrors.authentication());
        const accountId = match[1] as string;
        const users = accounts.get(accountId)?.current;
        if (!users) return json(404, apiErrors.noRoute(`/accounts/${accountId}/zt_risk_scoring/summary`));
        const paging = parsePaging(url.searchParams, pageSizes);
        if (!paging.ok) return json(400, apiErrors.invalidQuery(paging.message));
        const page = forcePage1 ? 1 : paging.page;
        const render = (): Reply => {
            const { items, resultInfo } = pageOf(users, page, paging.perPage);
            return json(200, summaryEnvelope(items, resultInfo));
        };
        if (!cached || pageCache === undefined) return render();
        const key = `${accountId}/${page}/${paging.perPage}`;
        let reply = pageCache.get(key);
        if (reply === undefined) {
            const fresh = render();
            reply = { ...fresh, encoded: Buffer.from(fresh.body) };
            pageCache.set(key, reply);
        }
        return reply;
    };

    /** A user no one has seen in this account: not in its current list, its original one, nor inserted before. */
    const newUser = (into: AccountState, level: RiskLevel): WireRiskUser => {
        const taken = (u: WireRiskUser): boolean =>
            [into.current, into.original].some((list) =>
                list.some((v) => v.user_id === u.user_id || v.email.toLowerCase() === u.email.toLowerCase()),
            );
        for (;;) {
            into.inserted += 1;
            const user = driftUser(into.inserted, into.domain, level);
            if (!taken(user)) return user;
        }
    };

    /**
     * The endpoint's normal answer, after which the account's next drift step (if any) is applied:
     * the body is already rendered, so only later requests see the change.
     */
    const normalReply = (req: IncomingMessage, url: URL): Reply => {
        const reply = summaryReply(req, url, false, true);
        if (reply.status !== 200) return reply;
        const served = account(summaryPath.exec(url.pathname)?.[1]);
        const step = served.drift.take();
        if (step !== undefined && applyDrift(served.current, step, (level) => newUser(served, level))) pageCache?.clear();
        return reply;
    };

    const send = (res: ServerResponse, entry: RequestLogEntry | undefined, reply: Reply): void => {
        if (entry) entry.status = reply.status;
        res.writeHead(reply.status, {
            "content-type": reply.contentType,
            "content-length": reply.encoded?.length ?? Buffer.byteLength(reply.body),
            ...reply.headers,
        });
        res.end(reply.encoded ?? reply.body);
    };

    /** Answers (or, for a hang, deliberately does not answer) the request as the scripted failure says. */
    const applyFailure = (failure: ScriptedFailure, req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): void => {
        switch (failure.kind) {
            case "status":
                return send(res, entry, {
                    ...json(failure.status, apiErrors.status(failure.status)),
                    headers: failure.retryAfter === undefined ? undefined : { "retry-after": failure.retryAfter },
                });
            case "hang":
                return; // The socket stays open until the client gives up or stop() destroys it.
            case "malformed": {
                const full = summaryReply(req, url, false);
                return send(res, entry, { ...full, body: full.body.slice(0, Math.max(1, Math.floor(full.body.length / 2))) });
            }
            case "html":
                return send(res, entry, {
                    status: failure.status ?? 502,
                    body: htmlErrorPage(failure.status ?? 502),
                    contentType: "text/html; charset=UTF-8",
                });
            case "successFalse":
                return send(res, entry, json(200, apiErrors.failedToGet()));
            case "resetMidBody": {
                const full = summaryReply(req, url, false);
                entry.status = full.status;
                // Content-Length promises the whole body, so the client sees a truncated message, not a short one.
                res.writeHead(full.status, { "content-type": full.contentType, "content-length": Buffer.byteLength(full.body) });
                res.write(full.body.slice(0, Math.floor(full.body.length / 2)), () => req.socket.destroy());
                return;
            }
            case "ignorePage":
                return send(res, entry, summaryReply(req, url, true));
            case "body":
                return send(res, entry, { status: failure.status, body: failure.body, contentType: failure.contentType });
            case "pass":
                return send(res, entry, normalReply(req, url));
            case "trickle": {
                const full = summaryReply(req, url, false);
                entry.status = full.status;
                return sendTrickle(res, full, failure.bytes ?? 16, failure.intervalMs ?? 100);
            }
            case "oversized": {
                const full = summaryReply(req, url, false);
                if (full.status !== 200) return send(res, entry, full);
                entry.status = full.status;
                return sendOversized(res, full, failure.bytes, failure.chunked ?? false);
            }
            case "refusePerPage": {
                const asked = url.searchParams.get("per_page");
                const max = failure.max ?? 100;
                if (asked === null || (/^\d+$/.test(asked) && Number(asked) <= max)) return send(res, entry, summaryReply(req, url, false));
                return send(res, entry, json(400, apiErrors.invalidQuery(perPageTooLargeMessage(asked, max))));
            }
            case "unknownLevel":
            case "dropField":
            case "extraFields":
            case "totalPages":
            case "duplicateUsers":
            case "resultInfo": {
                const full = summaryReply(req, url, false);
                // Errors (authentication, routing) are served as they are: only a page can be edited.
                if (full.status !== 200) return send(res, entry, full);
                const served = account(summaryPath.exec(url.pathname)?.[1]).current;
                return send(res, entry, json(200, editPage(JSON.parse(full.body), failure, served)));
            }
        }
    };

    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        if (controlEnabled && url.pathname.startsWith(controlPathPrefix)) {
            const reply = await handleControlRequest(req, url.pathname, state);
            return send(res, undefined, json(reply.status, reply.body));
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
        if (failure) return applyFailure(failure, req, res, url, entry);
        send(res, entry, normalReply(req, url));
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
            send(res, undefined, json(500, apiErrors.status(500)));
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
        accountId: defaultId,
        accountIds: [...accounts.keys()],
        credentials,
        users: (accountId) => account(accountId).current.map((u) => ({ ...u })),
        setUserLevel: (emailOrUserId, level, accountId) => state.setUserLevel(emailOrUserId, level, accountId),
        addUser(user, accountId) {
            const users = account(accountId).current;
            if (users.some((u) => u.user_id === user.user_id)) throw new RangeError(`user ${user.user_id} already exists`);
            users.push({ ...user });
            pageCache?.clear();
        },
        removeUser(emailOrUserId, accountId) {
            const users = account(accountId).current;
            const removed = users.splice(userIndex(users, emailOrUserId), 1)[0] as WireRiskUser;
            pageCache?.clear();
            return removed;
        },
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
