import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";
import {
    CloudflareApiError,
    CloudflareRequestError,
    CloudflareResponseError,
    IncompletePaginationError,
    InconsistentReadError,
    RiskSummaryArgumentError,
    RiskSummaryValidationError,
    fetchRiskSummary,
} from "../../../../index";
import { accountId, apiToken, mockCloudflare, origin, scriptedCloudflare } from "../../../support/mockCloudflare";
import { rejection } from "../../../support/rejection";
import { setSharedRequestLimits } from "../../../../provider/client/limiter";

// A 429's pause applies to the whole process by design; each case starts without one.
beforeEach(() => {
    setSharedRequestLimits({});
});

const users = generateRiskDataset({ size: 205, seed: 7 });
const envelope = (body: unknown) => JSON.stringify(body);
const okPage = (u = users.slice(0, 2)) =>
    envelope({
        success: true,
        errors: [],
        messages: [],
        result: { users: u },
        result_info: { count: u.length, page: 1, per_page: 20, total_count: u.length, total_pages: 1 },
    });

describe("fetchRiskSummary paging", () => {
    it("reads every page once and returns every user, camelCased and sorted by email", async () => {
        // A server that pages by 20 whatever is asked: the client follows its result_info.per_page.
        const { agent, requests } = mockCloudflare(users, { maxPerPage: 20 });
        const summary = await fetchRiskSummary({ accountId, apiToken, dispatcher: agent });
        expect(requests.map((r) => r.page).sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
        expect(summary.users).toHaveLength(205);
        expect(new Set(summary.users.map((u) => u.userId))).toEqual(new Set(users.map((u) => u.user_id)));
        const sample = users[17]!;
        expect(summary.users.find((u) => u.userId === sample.user_id)).toEqual({
            userId: sample.user_id,
            email: sample.email,
            name: sample.name,
            eventCount: sample.event_count,
            lastEvent: sample.last_event,
            maxRiskLevel: sample.max_risk_level,
        });
        const emails = summary.users.map((u) => u.email);
        expect(emails).toEqual([...emails].sort());
        expect(summary.accountId).toBe(accountId);
        expect(Date.parse(summary.fetchedAt)).not.toBeNaN();
    });

    it("derives per-level lists, Access-ready emails and counts from the same users", async () => {
        const { agent } = mockCloudflare(users);
        const summary = await fetchRiskSummary({ accountId, apiToken, dispatcher: agent });
        const count = (level: string) => users.filter((u) => u.max_risk_level === level).length;
        expect(summary.counts).toEqual({ total: 205, high: count("high"), medium: count("medium"), low: count("low"), accountTotal: 205 });
        expect(summary.highRiskUsers.every((u) => u.maxRiskLevel === "high")).toBe(true);
        expect(summary.mediumRiskUsers).toHaveLength(count("medium"));
        expect(summary.lowRiskUsers).toHaveLength(count("low"));
        const expectedEmails = [...new Set(users.filter((u) => u.max_risk_level === "high").map((u) => u.email.toLowerCase()))].sort();
        expect(summary.highRiskEmails).toEqual(expectedEmails);
        expect(count("high")).toBeGreaterThan(0);
    });

    it("uses the server's per_page for later pages, or the one asked for", async () => {
        const { agent, requests } = mockCloudflare(users);
        await fetchRiskSummary({ accountId, apiToken, dispatcher: agent, perPage: 100 });
        expect(requests.map((r) => r.path).sort()).toEqual([
            expect.stringContaining("page=1&per_page=100"),
            expect.stringContaining("page=2&per_page=100"),
            expect.stringContaining("page=3&per_page=100"),
        ]);
    });

    it("refuses, after three reads from page 1, pages that list a user twice on every read", async () => {
        const duplicated = [...users.slice(0, 30), users[3]!, ...users.slice(30, 39)];
        const { agent, requests } = mockCloudflare(duplicated, { maxPerPage: 20 });
        const error = await rejection(fetchRiskSummary({ accountId, apiToken, dispatcher: agent }));
        expect(error).toBeInstanceOf(InconsistentReadError);
        expect((error as InconsistentReadError).code).toBe("CFRISK_INCONSISTENT_READ");
        expect((error as InconsistentReadError).attempts).toBe(3);
        expect(requests).toHaveLength(6);
        expect(error.message).toContain("1 user was listed twice (the first on pages 1 and 2), leaving 39 different users of the 40");
        expect(error.message).toContain("nothing was returned or stored");
        expect(error.message).not.toContain(users[3]!.email);
    });

    it("fails, naming how many were read of how many, when the server ignores the page parameter", async () => {
        const { agent } = mockCloudflare(users, { ignorePage: true, maxPerPage: 20 });
        const error = await rejection(fetchRiskSummary({ accountId, apiToken, dispatcher: agent }));
        expect(error).toBeInstanceOf(IncompletePaginationError);
        expect(error.message).toContain("Read 20 of 205 users");
        expect(error.message).toContain("ignored the `page` parameter");
    });

    it("accepts an empty account", async () => {
        const { agent } = mockCloudflare([]);
        const summary = await fetchRiskSummary({ accountId, apiToken, dispatcher: agent });
        expect(summary.counts).toEqual({ total: 0, high: 0, medium: 0, low: 0, accountTotal: 0 });
        expect(summary.highRiskEmails).toEqual([]);
    });
});

describe("fetchRiskSummary filters", () => {
    it("applies minRiskLevel, lastEventSince and emailDomains, and keeps the account total", async () => {
        const { agent } = mockCloudflare(users);
        const since = "2025-01-20T00:00:00Z";
        const summary = await fetchRiskSummary({
            accountId,
            apiToken,
            dispatcher: agent,
            minRiskLevel: "medium",
            lastEventSince: since,
            emailDomains: ["Example.com"],
        });
        const expected = users.filter(
            (u) =>
                u.max_risk_level !== "low" &&
                Date.parse(u.last_event) >= Date.parse(since) &&
                u.email.toLowerCase().endsWith("@example.com"),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(summary.users.map((u) => u.userId).sort()).toEqual(expected.map((u) => u.user_id).sort());
        expect(summary.counts.total).toBe(expected.length);
        expect(summary.counts.low).toBe(0);
        expect(summary.counts.accountTotal).toBe(205);
        expect(summary.filters).toEqual({
            minRiskLevel: "medium",
            lastEventSince: "2025-01-20T00:00:00.000Z",
            emailDomains: ["example.com"],
        });
    });
});

describe("fetchRiskSummary credentials on the wire", () => {
    it("sends an API token as a bearer token", async () => {
        const { agent, requests } = mockCloudflare(users.slice(0, 3));
        await fetchRiskSummary({ accountId, apiToken, dispatcher: agent });
        expect(requests[0]!.headers.authorization).toBe(`Bearer ${apiToken}`);
        expect(requests[0]!.headers["x-auth-key"]).toBeUndefined();
    });

    it("sends an email and Global API key as X-Auth headers", async () => {
        const { agent, requests } = mockCloudflare(users.slice(0, 3));
        await fetchRiskSummary({ accountId, email: "admin@example.com", apiKey: "global-key-123", dispatcher: agent });
        expect(requests[0]!.headers["x-auth-email"]).toBe("admin@example.com");
        expect(requests[0]!.headers["x-auth-key"]).toBe("global-key-123");
        expect(requests[0]!.headers.authorization).toBeUndefined();
    });
});

describe("fetchRiskSummary errors", () => {
    const quick = { accountId, apiToken, maxRetries: 2 };

    it("quotes every code, message and documentation URL of a success:false envelope, and hints at the permission on 403", async () => {
        const { agent } = scriptedCloudflare([
            {
                status: 403,
                body: envelope({
                    success: false,
                    errors: [
                        { code: 10000, message: "Authentication error" },
                        {
                            code: 10001,
                            message: "Token lacks scope",
                            documentation_url: "https://developers.cloudflare.com/fundamentals/api/",
                        },
                    ],
                    messages: [],
                    result: null,
                }),
            },
        ]);
        const error = await rejection(fetchRiskSummary({ ...quick, dispatcher: agent }));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toContain("[10000] Authentication error");
        expect(error.message).toContain("[10001] Token lacks scope (see https://developers.cloudflare.com/fundamentals/api/)");
        expect(error.message).toContain('"Zero Trust: PII Read"');
        expect((error as CloudflareApiError).status).toBe(403);
        expect(error.message).not.toContain(apiToken);
    });

    it("reports success:false on HTTP 200 as an API error", async () => {
        const { agent } = scriptedCloudflare([
            {
                status: 200,
                body: envelope({ success: false, errors: [{ code: 1234, message: "Something broke" }], messages: [], result: null }),
            },
        ]);
        const error = await rejection(fetchRiskSummary({ ...quick, dispatcher: agent }));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toContain("[1234] Something broke");
    });

    it("names the field path and what was found on a schema mismatch", async () => {
        const bad = users.slice(0, 5).map((u) => ({ ...u }));
        (bad[3] as Record<string, unknown>).max_risk_level = "critical";
        const { agent } = scriptedCloudflare([{ status: 200, body: okPage(bad) }]);
        const error = await rejection(fetchRiskSummary({ ...quick, dispatcher: agent }));
        expect(error).toBeInstanceOf(RiskSummaryValidationError);
        expect(error.message).toContain("result.users[3].max_risk_level");
        expect(error.message).toContain('"critical"');
    });

    it("names the status and content type of a non-JSON body", async () => {
        const { agent } = scriptedCloudflare([
            { status: 403, body: "<!DOCTYPE html><html>Access denied</html>", headers: { "content-type": "text/html; charset=UTF-8" } },
        ]);
        const error = await rejection(fetchRiskSummary({ ...quick, dispatcher: agent }));
        expect(error).toBeInstanceOf(CloudflareResponseError);
        expect(error.message).toContain("HTTP 403");
        expect(error.message).toContain("text/html; charset=UTF-8");
    });

    it("retries 429 honouring Retry-After, then succeeds", async () => {
        const { agent, requests } = scriptedCloudflare([
            {
                status: 429,
                body: envelope({ success: false, errors: [{ code: 10429, message: "rate limited" }], messages: [], result: null }),
                headers: { "retry-after": "1" },
            },
            { status: 200, body: okPage() },
        ]);
        const started = Date.now();
        const summary = await fetchRiskSummary({ ...quick, dispatcher: agent });
        expect(summary.users).toHaveLength(2);
        expect(requests).toHaveLength(2);
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it("retries 5xx and gives up after maxRetries with the last error", async () => {
        const failure = {
            status: 503,
            body: envelope({ success: false, errors: [{ code: 10503, message: "Service unavailable" }], messages: [], result: null }),
        };
        const { agent, requests } = scriptedCloudflare([failure, failure, failure, failure]);
        const error = await rejection(fetchRiskSummary({ ...quick, dispatcher: agent }));
        expect(requests).toHaveLength(3);
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toContain("HTTP 503");
    });

    it("never retries other 4xx", async () => {
        const { agent, requests } = scriptedCloudflare([
            {
                status: 404,
                body: envelope({ success: false, errors: [{ code: 7003, message: "Could not route" }], messages: [], result: null }),
            },
        ]);
        await expect(fetchRiskSummary({ ...quick, dispatcher: agent })).rejects.toBeInstanceOf(CloudflareApiError);
        expect(requests).toHaveLength(1);
    });

    it("fails at once when Retry-After would pass the deadline", async () => {
        const { agent, requests } = scriptedCloudflare([{ status: 429, body: "{}", headers: { "retry-after": "120" } }]);
        const started = Date.now();
        const error = await rejection(fetchRiskSummary({ ...quick, timeoutMs: 5_000, dispatcher: agent }));
        expect(error).toBeInstanceOf(CloudflareRequestError);
        expect(error.message).toContain("would pass the deadline");
        expect(requests).toHaveLength(1);
        expect(Date.now() - started).toBeLessThan(4_000);
    });

    it("retries connection errors", async () => {
        const { MockAgent } = await import("undici");
        const agent = new MockAgent();
        agent.disableNetConnect();
        const pool = agent.get(origin);
        pool.intercept({ path: (p) => p.includes("zt_risk_scoring"), method: "GET" }).replyWithError(
            Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
        );
        pool.intercept({ path: (p) => p.includes("zt_risk_scoring"), method: "GET" }).reply(200, okPage(), {
            headers: { "content-type": "application/json" },
        });
        const summary = await fetchRiskSummary({ ...quick, dispatcher: agent });
        expect(summary.users).toHaveLength(2);
    });

    it("fails a request that hangs at timeoutMs", async () => {
        const { MockAgent } = await import("undici");
        const agent = new MockAgent();
        agent.disableNetConnect();
        agent
            .get(origin)
            .intercept({ path: (p) => p.includes("zt_risk_scoring"), method: "GET" })
            .reply(200, okPage())
            .delay(10_000);
        const started = Date.now();
        const error = await rejection(fetchRiskSummary({ ...quick, timeoutMs: 300, dispatcher: agent }));
        expect(error).toBeInstanceOf(CloudflareRequestError);
        expect(error.message).toContain("deadline");
        expect(Date.now() - started).toBeLessThan(2_000);
        await agent.close();
    });

    it("rejects bad arguments before any request", async () => {
        const { agent, requests } = mockCloudflare(users);
        await expect(fetchRiskSummary({ accountId: "../../zones", apiToken, dispatcher: agent })).rejects.toThrow(/"accountId"/);
        await expect(fetchRiskSummary({ accountId, dispatcher: agent, minRiskLevel: "severe" as never, apiToken })).rejects.toThrow(
            /"minRiskLevel"/,
        );
        await expect(fetchRiskSummary({ accountId, apiToken, apiKey: "k", email: "a@b.c", dispatcher: agent })).rejects.toBeInstanceOf(
            RiskSummaryArgumentError,
        );
        await expect(
            fetchRiskSummary({ accountId, apiToken, baseUrl: "http://api.example.com/client/v4", dispatcher: agent }),
        ).rejects.toThrow(/"baseUrl"/);
        await expect(fetchRiskSummary(null as never)).rejects.toThrow(/"options"/);
        expect(requests).toHaveLength(0);
    });

    it("fails without credentials, pointing at the config key and env var", async () => {
        const saved = process.env.CLOUDFLARE_API_TOKEN;
        delete process.env.CLOUDFLARE_API_TOKEN;
        try {
            const error = await rejection(fetchRiskSummary({ accountId }));
            expect(error).toBeInstanceOf(RiskSummaryArgumentError);
            expect(error.message).toContain("cloudflare:apiToken");
            expect(error.message).toContain("CLOUDFLARE_API_TOKEN");
        } finally {
            if (saved !== undefined) process.env.CLOUDFLARE_API_TOKEN = saved;
        }
    });
});
