import { Agent, request } from "undici";
import {
    cloudflareErrorEnvelopeSchema,
    riskSummaryPageSchema,
    type RiskSummaryPage,
    type WireRiskUser,
} from "../../../../provider/client/schema";
import { runCli } from "../../../../dev/local-api/cli";
import {
    defaultAccountId,
    defaultLocalCredentials,
    eventCountRanges,
    LocalApiNotFoundError,
    riskDatasetReferenceDate,
    startLocalCloudflareApi,
    type LocalCloudflareApi,
} from "../../../../dev/local-api";

// Real HTTP over sockets against the embedded server. One agent for the file, closed at the end,
// so that no keep-alive client socket outlives the tests.
const agent = new Agent({ keepAliveTimeout: 1_000 });
afterAll(() => agent.close());

type Auth = "token" | "key" | "none" | Record<string, string>;

function authHeaders(api: LocalCloudflareApi, auth: Auth): Record<string, string> {
    if (auth === "token") return { authorization: `Bearer ${api.credentials.apiToken}` };
    if (auth === "key") return { "x-auth-email": api.credentials.email, "x-auth-key": api.credentials.apiKey };
    if (auth === "none") return {};
    return auth;
}

function summaryUrl(api: LocalCloudflareApi, query: Record<string, string | number> = {}, accountId = api.accountId): string {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const qs = params.size > 0 ? `?${params}` : "";
    return `${api.baseUrl}/accounts/${accountId}/zt_risk_scoring/summary${qs}`;
}

interface Got {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
}

async function get(url: string, headers: Record<string, string>, method: "GET" | "POST" = "GET"): Promise<Got> {
    const res = await request(url, { method, headers, dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

async function summary(api: LocalCloudflareApi, query: Record<string, string | number> = {}, auth: Auth = "token"): Promise<Got> {
    return get(summaryUrl(api, query), authHeaders(api, auth));
}

async function page(api: LocalCloudflareApi, query: Record<string, string | number> = {}): Promise<RiskSummaryPage> {
    const res = await summary(api, query);
    expect(res.status).toBe(200);
    return riskSummaryPageSchema.parse(JSON.parse(res.text));
}

function errorCodes(res: Got): number[] {
    return cloudflareErrorEnvelopeSchema.parse(JSON.parse(res.text)).errors.map((e) => e.code);
}

async function control(
    api: LocalCloudflareApi,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
): Promise<{ status: number; json: unknown }> {
    const res = await request(`${api.origin}/__control/${path}`, {
        method,
        dispatcher: agent,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, json: await res.body.json() };
}

let api: LocalCloudflareApi;
beforeAll(async () => {
    api = await startLocalCloudflareApi();
});
afterAll(() => api.stop());
beforeEach(() => api.reset());

describe("summary endpoint", () => {
    test("answers Cloudflare's envelope, valid against the provider's schema, 20 per page by default", async () => {
        const body = await page(api);
        expect(body.result.users).toHaveLength(20);
        expect(body.result_info).toEqual({ count: 20, page: 1, per_page: 20, total_count: 2000, total_pages: 100 });
        expect(body.result.users).toEqual(api.users().slice(0, 20));
        expect(api.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
        expect(api.accountId).toBe(defaultAccountId);
    });

    test("paging covers every user exactly once, in order", async () => {
        const seen: WireRiskUser[] = [];
        const first = await page(api, { per_page: 150 });
        const totalPages = first.result_info?.total_pages ?? 0;
        expect(totalPages).toBe(14);
        seen.push(...first.result.users);
        for (let p = 2; p <= totalPages; p++) {
            const body = await page(api, { per_page: 150, page: p });
            expect(body.result_info).toMatchObject({ page: p, per_page: 150, total_count: 2000, count: body.result.users.length });
            seen.push(...body.result.users);
        }
        expect(seen).toHaveLength(2000);
        expect(new Set(seen.map((u) => u.user_id)).size).toBe(2000);
        expect(seen).toEqual(api.users());
    });

    test("per_page above 1000 is clamped to 1000", async () => {
        const body = await page(api, { per_page: 5000 });
        expect(body.result.users).toHaveLength(1000);
        expect(body.result_info).toEqual({ count: 1000, page: 1, per_page: 1000, total_count: 2000, total_pages: 2 });
    });

    test("a page past the end is empty with truthful result_info", async () => {
        const body = await page(api, { page: 101 });
        expect(body.result.users).toEqual([]);
        expect(body.result_info).toEqual({ count: 0, page: 101, per_page: 20, total_count: 2000, total_pages: 100 });
    });

    test.each([
        ["page", "0"],
        ["page", "-1"],
        ["page", "abc"],
        ["per_page", "1.5"],
        ["per_page", "0"],
        ["per_page", ""],
    ])("invalid %s=%j answers 400 with an error envelope", async (name, value) => {
        const res = await summary(api, { [name]: value });
        expect(res.status).toBe(400);
        expect(errorCodes(res)).toHaveLength(1);
        expect(JSON.parse(res.text).errors[0].message).toContain(name);
    });

    test("a different account, an unknown path and a non-GET method answer Cloudflare error envelopes", async () => {
        const unknownAccount = await get(summaryUrl(api, {}, "ffffffffffffffffffffffffffffffff"), authHeaders(api, "token"));
        expect(unknownAccount.status).toBe(404);
        expect(errorCodes(unknownAccount)).toEqual([7003, 7000]);
        expect(JSON.parse(unknownAccount.text).errors[0].message).toBe(
            "Could not route to /accounts/ffffffffffffffffffffffffffffffff/zt_risk_scoring/summary, perhaps your object identifier is invalid?",
        );

        const unknownPath = await get(`${api.baseUrl}/accounts/${api.accountId}/zt_risk_scoring/nope`, authHeaders(api, "token"));
        expect(unknownPath.status).toBe(404);
        expect(errorCodes(unknownPath)).toContain(7000);

        const post = await get(summaryUrl(api), authHeaders(api, "token"), "POST");
        expect(post.status).toBe(405);
        expect(post.headers["allow"]).toBe("GET");
        expect(errorCodes(post)).toEqual([7001]);
    });
});

describe("authentication", () => {
    test("an API token and an email + global key are both accepted", async () => {
        expect((await summary(api, {}, "token")).status).toBe(200);
        expect((await summary(api, {}, "key")).status).toBe(200);
    });

    test.each<[string, (a: LocalCloudflareApi) => Record<string, string>]>([
        ["no credentials", () => ({})],
        ["a wrong token", () => ({ authorization: "Bearer wrong" })],
        ["a token without the Bearer scheme", (a) => ({ authorization: a.credentials.apiToken })],
        ["a wrong key", (a) => ({ "x-auth-email": a.credentials.email, "x-auth-key": "wrong" })],
        ["an email without a key", (a) => ({ "x-auth-email": a.credentials.email })],
    ])("%s answers 403 with code 10000", async (_, headers) => {
        const res = await summary(api, {}, headers(api));
        expect(res.status).toBe(403);
        expect(JSON.parse(res.text)).toEqual({
            success: false,
            errors: [{ code: 10000, message: "Authentication error" }],
            messages: [],
            result: null,
        });
    });

    test("credentials are configurable, and the defaults then stop working", async () => {
        const custom = await startLocalCloudflareApi({ size: 3, credentials: { apiToken: "other-token" } });
        try {
            expect(custom.credentials).toEqual({ ...defaultLocalCredentials, apiToken: "other-token" });
            expect((await summary(custom, {}, { authorization: "Bearer other-token" })).status).toBe(200);
            expect((await summary(custom, {}, { authorization: `Bearer ${defaultLocalCredentials.apiToken}` })).status).toBe(403);
        } finally {
            await custom.stop();
        }
    });
});

describe("accounts and datasets", () => {
    test("several accounts each serve their own dataset; an account id must be 32 lowercase hex", async () => {
        const a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        const multi = await startLocalCloudflareApi({ accounts: { [a]: { size: 5, seed: 1 }, [b]: { size: 7, seed: 2 } } });
        try {
            expect(multi.accountId).toBe(a);
            expect(multi.accountIds).toEqual([a, b]);
            const pageB = riskSummaryPageSchema.parse(JSON.parse((await get(summaryUrl(multi, {}, b), authHeaders(multi, "token"))).text));
            expect(pageB.result.users).toEqual(multi.users(b));
            expect(pageB.result_info?.total_count).toBe(7);
            expect((await page(multi)).result_info?.total_count).toBe(5);
        } finally {
            await multi.stop();
        }
        await expect(startLocalCloudflareApi({ accountId: "ABC" })).rejects.toThrow(RangeError);
    });

    test("the same seed serves the same data, a different seed different data", async () => {
        const again = await startLocalCloudflareApi({ size: 50, seed: 1 });
        const other = await startLocalCloudflareApi({ size: 50, seed: 2 });
        try {
            expect((await page(again, { per_page: 50 })).result.users).toEqual(api.users().slice(0, 50));
            expect((await page(other, { per_page: 50 })).result.users).not.toEqual(api.users().slice(0, 50));
        } finally {
            await Promise.all([again.stop(), other.stop()]);
        }
    });

    test("users() returns copies, so callers cannot change what the server serves", () => {
        const users = api.users();
        (users[0] as WireRiskUser).max_risk_level = "high";
        users.pop();
        expect(api.users()).toHaveLength(2000);
        expect(api.users()[0]).not.toBe(users[0]);
    });
});

describe("setUserLevel", () => {
    test("changes a user's level (by email or user id) for subsequent requests, with a plausible event", async () => {
        const low = api.users().find((u) => u.max_risk_level === "low") as WireRiskUser;
        const updated = api.setUserLevel(low.email, "high");
        expect(updated).toMatchObject({ email: low.email, user_id: low.user_id, max_risk_level: "high" });
        expect(updated.event_count).toBeGreaterThanOrEqual(eventCountRanges.high.min);
        expect(updated.last_event).toBe(riskDatasetReferenceDate.toISOString());

        const served = (await page(api, { per_page: 1000, page: 1 })).result.users.concat(
            (await page(api, { per_page: 1000, page: 2 })).result.users,
        );
        expect(served.find((u) => u.user_id === low.user_id)).toEqual(updated);

        const back = api.setUserLevel(low.user_id, "low");
        expect(back.max_risk_level).toBe("low");
        expect(back.event_count).toBeLessThanOrEqual(eventCountRanges.low.max);
    });

    test("an unknown user or account throws LocalApiNotFoundError", () => {
        expect(() => api.setUserLevel("nobody@example.com", "high")).toThrow(LocalApiNotFoundError);
        expect(() => api.setUserLevel(api.users()[0]!.email, "high", "ffffffffffffffffffffffffffffffff")).toThrow(LocalApiNotFoundError);
    });
});

describe("scripted failures", () => {
    test("status: the error status with an envelope and Retry-After, `times` requests in a row, then normal", async () => {
        api.failNext([
            { kind: "status", status: 429, retryAfter: "3", times: 2 },
            { kind: "status", status: 503 },
        ]);
        for (let i = 0; i < 2; i++) {
            const res = await summary(api);
            expect(res.status).toBe(429);
            expect(res.headers["retry-after"]).toBe("3");
            expect(errorCodes(res)).toHaveLength(1);
        }
        const unavailable = await summary(api);
        expect(unavailable.status).toBe(503);
        expect(unavailable.headers["retry-after"]).toBeUndefined();
        expect((await summary(api)).status).toBe(200);
    });

    test("hang: the request is accepted and never answered", async () => {
        api.failNext([{ kind: "hang" }]);
        const started = Date.now();
        await expect(
            request(summaryUrl(api), { headers: authHeaders(api, "token"), dispatcher: agent, signal: AbortSignal.timeout(300) }),
        ).rejects.toThrow();
        expect(Date.now() - started).toBeGreaterThanOrEqual(250);
        expect(api.requests).toEqual([expect.objectContaining({ status: null })]);
        expect((await summary(api)).status).toBe(200);
    });

    test("malformed: 200, application/json, truncated JSON", async () => {
        api.failNext([{ kind: "malformed" }]);
        const res = await summary(api);
        expect(res.status).toBe(200);
        expect(res.headers["content-type"]).toBe("application/json");
        expect(res.text.startsWith('{"success":true')).toBe(true);
        expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
    });

    test("html: a text/html proxy page, 502 by default or the given status", async () => {
        api.failNext([{ kind: "html" }, { kind: "html", status: 520 }]);
        const first = await summary(api);
        expect(first.status).toBe(502);
        expect(first.headers["content-type"]).toMatch(/^text\/html/);
        expect(first.text).toMatch(/^<!DOCTYPE html>/);
        expect((await summary(api)).status).toBe(520);
    });

    test("successFalse: 200 whose envelope says success false", async () => {
        api.failNext([{ kind: "successFalse" }]);
        const res = await summary(api);
        expect(res.status).toBe(200);
        expect(errorCodes(res)).toHaveLength(1);
    });

    test("resetMidBody: headers and part of the body, then the connection is destroyed", async () => {
        api.failNext([{ kind: "resetMidBody" }]);
        await expect(summary(api)).rejects.toThrow();
        expect(api.requests[0]?.status).toBe(200);
        expect((await summary(api)).status).toBe(200);
    });

    test("ignorePage: page 1 is answered whatever page is asked", async () => {
        api.failNext([{ kind: "ignorePage", times: 2 }]);
        const asked3 = await page(api, { page: 3 });
        expect(asked3.result_info?.page).toBe(1);
        expect(asked3.result.users).toEqual(api.users().slice(0, 20));
        expect((await page(api, { page: 2 })).result_info?.page).toBe(1);
        expect((await page(api, { page: 2 })).result_info?.page).toBe(2);
    });

    test("body: a verbatim response", async () => {
        api.failNext([{ kind: "body", status: 418, body: "short and stout", contentType: "text/plain" }]);
        const res = await summary(api);
        expect(res).toMatchObject({
            status: 418,
            text: "short and stout",
            headers: expect.objectContaining({ "content-type": "text/plain" }),
        });
    });

    test("an invalid scripted failure is refused", () => {
        expect(() => api.failNext([{ kind: "status", status: 200 } as never])).toThrow();
        expect(() => api.failNext([{ kind: "explode" } as never])).toThrow();
    });
});

describe("latency and request log", () => {
    test("setLatency delays every API response", async () => {
        api.setLatency(250);
        const started = Date.now();
        expect((await summary(api)).status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(240);
        api.setLatency(0);
        const again = Date.now();
        await summary(api);
        expect(Date.now() - again).toBeLessThan(200);
        expect(() => api.setLatency(-1)).toThrow(RangeError);
    });

    test("logs method, path, query, page, status and auth scheme, never credential values", async () => {
        await summary(api, { page: 2, per_page: 10 }, "token");
        await summary(api, {}, "key");
        await summary(api, { page: "x" }, "none");
        expect(api.requests).toEqual([
            {
                method: "GET",
                path: `/client/v4/accounts/${api.accountId}/zt_risk_scoring/summary`,
                query: { page: "2", per_page: "10" },
                page: 2,
                status: 200,
                authScheme: "token",
            },
            expect.objectContaining({ query: {}, page: 1, status: 200, authScheme: "key" }),
            expect.objectContaining({ page: null, status: 403, authScheme: "none" }),
        ]);
        const logged = JSON.stringify(api.requests);
        for (const secret of Object.values(api.credentials)) expect(logged).not.toContain(secret);
        api.resetRequestLog();
        expect(api.requests).toEqual([]);
    });
});

describe("control endpoints", () => {
    test("POST /__control/users/{id} changes a level, validated with zod", async () => {
        const user = api.users()[0] as WireRiskUser;
        const target = user.max_risk_level === "high" ? "low" : "high";
        const res = await control(api, "POST", `users/${encodeURIComponent(user.email)}`, { level: target });
        expect(res.status).toBe(200);
        expect((await page(api, { per_page: 1 })).result.users[0]?.max_risk_level).toBe(target);

        expect((await control(api, "POST", `users/${user.user_id}`, { level: "extreme" })).status).toBe(400);
        expect((await control(api, "POST", `users/${user.user_id}`, "{not json")).status).toBe(400);
        expect((await control(api, "POST", "users/nobody%40example.com", { level: "low" })).status).toBe(404);
        expect((await control(api, "GET", `users/${user.user_id}`)).status).toBe(405);
    });

    test("POST /__control/fail queues failures; GET /__control/requests shows the log; POST /__control/reset restores all", async () => {
        const user = api.users()[0] as WireRiskUser;
        api.setUserLevel(user.email, user.max_risk_level === "high" ? "low" : "high");
        expect((await control(api, "POST", "fail", [{ kind: "status", status: 500 }])).status).toBe(200);
        expect((await summary(api)).status).toBe(500);

        const log = await control(api, "GET", "requests");
        expect(log).toEqual({
            status: 200,
            json: expect.objectContaining({ success: true, result: [expect.objectContaining({ status: 500 })] }),
        });

        expect((await control(api, "POST", "fail", [{ kind: "teapot" }])).status).toBe(400);
        expect((await control(api, "POST", "fail", [{ kind: "successFalse" }])).status).toBe(200);
        expect((await control(api, "POST", "reset")).status).toBe(200);
        expect(api.requests).toEqual([]);
        expect(api.users()[0]).toEqual(user);
        expect((await summary(api)).status).toBe(200); // the queued successFalse was cleared
    });

    test("POST /__control/latency sets the latency", async () => {
        expect((await control(api, "POST", "latency", { ms: 200 })).status).toBe(200);
        const started = Date.now();
        await summary(api);
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });

    test("with control: false the control routes do not exist", async () => {
        const closed = await startLocalCloudflareApi({ size: 2, control: false });
        try {
            const res = await control(closed, "POST", "fail", [{ kind: "status", status: 500 }]);
            expect(res.status).toBe(404);
            expect((await summary(closed)).status).toBe(200);
        } finally {
            await closed.stop();
        }
    });
});

describe("lifecycle", () => {
    const tcpServers = (): number => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;

    test("stop() ends hanging requests, closes the listener and leaves no server handle", async () => {
        const before = tcpServers();
        const local = await startLocalCloudflareApi({ size: 2 });
        expect(tcpServers()).toBe(before + 1);
        local.failNext([{ kind: "hang" }]);
        const hanging = summary(local);
        hanging.catch(() => undefined); // asserted below; avoids an unhandled rejection in between
        while (local.requests.length === 0) await new Promise((r) => setTimeout(r, 10));

        const started = Date.now();
        await local.stop();
        expect(Date.now() - started).toBeLessThan(1000);
        await expect(hanging).rejects.toThrow();
        expect(tcpServers()).toBe(before);
        await expect(summary(local)).rejects.toThrow(/ECONNREFUSED|connect/);
        await local.stop(); // idempotent
    });

    test("stop() during latency cancels the delay timer and ends the pending request", async () => {
        const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
        const local = await startLocalCloudflareApi({ size: 2, latencyMs: 5_000 });
        const pending = summary(local);
        pending.catch(() => undefined);
        while (local.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
        const withDelay = timers();
        await local.stop();
        await expect(pending).rejects.toThrow();
        expect(timers()).toBeLessThan(withDelay);
    });

    test("a fixed port is honoured", async () => {
        const probe = await startLocalCloudflareApi({ size: 1 });
        const port = probe.port;
        await probe.stop();
        const fixed = await startLocalCloudflareApi({ size: 1, port });
        try {
            expect(fixed.baseUrl).toBe(`http://127.0.0.1:${port}/client/v4`);
            expect((await summary(fixed)).status).toBe(200);
        } finally {
            await fixed.stop();
        }
        await expect(startLocalCloudflareApi({ port: 70000 })).rejects.toThrow(RangeError);
    });

    test("the command's start prints one JSON line with baseUrl, accountId and the (fake) token", async () => {
        const lines: string[] = [];
        const cliApi = await runCli(["--size", "3", "--seed", "9", "--api-token", "cli-token"], (l) => lines.push(l));
        try {
            expect(lines).toHaveLength(1);
            expect(JSON.parse(lines[0] as string)).toEqual({ baseUrl: cliApi.baseUrl, accountId: defaultAccountId, apiToken: "cli-token" });
            const res = await get(summaryUrl(cliApi), { authorization: "Bearer cli-token" });
            expect(riskSummaryPageSchema.parse(JSON.parse(res.text)).result_info?.total_count).toBe(3);
        } finally {
            await cliApi.stop();
        }
    });
});
