import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../../../dev/local-api";
import {
    CloudflareApiError,
    CloudflareRequestError,
    CloudflareResponseError,
    type FetchRiskSummaryOptions,
    IncompletePaginationError,
    RiskSummaryValidationError,
    fetchRiskSummary,
} from "../../../../index";
import { rejection } from "../../../support/rejection";
import { setSharedRequestLimits } from "../../../../provider/client/limiter";

// A 429's pause applies to the whole process by design; each case starts without one.
beforeEach(() => {
    setSharedRequestLimits({});
});

// fetchRiskSummary against the project's Cloudflare-compatible server, over real sockets.
let api: LocalCloudflareApi;
let options: FetchRiskSummaryOptions;

beforeAll(async () => {
    api = await startLocalCloudflareApi();
    options = { accountId: api.accountId, apiToken: api.credentials.apiToken, baseUrl: api.baseUrl, maxRetries: 2 };
});

afterAll(() => api.stop());

beforeEach(() => api.reset());

describe("fetchRiskSummary against the local Cloudflare API", () => {
    it("reads all 2,000 users over 2 pages of 1,000, equal to the server's dataset", async () => {
        const summary = await fetchRiskSummary(options);
        const served = api.users();
        expect(summary.users).toHaveLength(2000);
        expect(api.requests).toHaveLength(2);
        expect(api.requests.map((r) => r.query)).toEqual([
            { page: "1", per_page: "1000" },
            { page: "2", per_page: "1000" },
        ]);
        expect(new Set(summary.users.map((u) => u.userId))).toEqual(new Set(served.map((u) => u.user_id)));
        expect(summary.counts.high).toBe(served.filter((u) => u.max_risk_level === "high").length);
        expect(summary.highRiskEmails).toEqual(
            served
                .filter((u) => u.max_risk_level === "high")
                .map((u) => u.email.toLowerCase())
                .sort(),
        );
    });

    it("authenticates with an email and Global API key", async () => {
        const { apiKey, email } = api.credentials;
        const summary = await fetchRiskSummary({ accountId: api.accountId, baseUrl: api.baseUrl, apiKey, email });
        expect(summary.counts.accountTotal).toBe(2000);
        expect(api.requests.every((r) => r.authScheme === "key")).toBe(true);
    });

    it("sees a level change made on the server", async () => {
        const target = api.users().find((u) => u.max_risk_level === "low")!;
        api.setUserLevel(target.email, "high");
        const summary = await fetchRiskSummary(options);
        expect(summary.highRiskEmails).toContain(target.email.toLowerCase());
    });

    it("rejects a wrong token with Cloudflare's code 10000, the permission hint, and no token in the message", async () => {
        const wrong = "wrong-token-5d1c8e0b2a";
        const error = await rejection(fetchRiskSummary({ ...options, apiToken: wrong }));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toContain("[10000]");
        expect(error.message).toContain("Zero Trust: PII Read");
        expect(error.message).not.toContain(wrong);
        expect(error.message).not.toContain(api.credentials.apiToken);
    });

    it("retries a 429 with Retry-After and a 503, then returns every user", async () => {
        api.failNext([
            { kind: "status", status: 429, retryAfter: "1" },
            { kind: "status", status: 503 },
        ]);
        const started = Date.now();
        const summary = await fetchRiskSummary(options);
        expect(summary.users).toHaveLength(2000);
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
        expect(api.requests.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
    });

    it("retries a connection reset mid-body", async () => {
        api.failNext([{ kind: "resetMidBody" }]);
        const summary = await fetchRiskSummary(options);
        expect(summary.users).toHaveLength(2000);
    });

    it("fails a hanging server at timeoutMs", async () => {
        api.failNext([{ kind: "hang" }]);
        const started = Date.now();
        const error = await rejection(fetchRiskSummary({ ...options, timeoutMs: 500 }));
        expect(error).toBeInstanceOf(CloudflareRequestError);
        expect(Date.now() - started).toBeLessThan(3_000);
    });

    it("reports a proxy's HTML page, truncated JSON and success:false each with its own error", async () => {
        api.failNext([{ kind: "html", status: 403 }]);
        expect(await rejection(fetchRiskSummary(options))).toBeInstanceOf(CloudflareResponseError);
        api.failNext([{ kind: "malformed" }]);
        const truncated = await rejection(fetchRiskSummary(options));
        expect(truncated).toBeInstanceOf(CloudflareResponseError);
        expect(truncated.message).toContain("not valid JSON");
        api.failNext([{ kind: "successFalse" }]);
        expect(await rejection(fetchRiskSummary(options))).toBeInstanceOf(CloudflareApiError);
    });

    it("refuses a partial summary when the server ignores the page parameter", async () => {
        api.failNext(Array.from({ length: 100 }, () => ({ kind: "ignorePage" as const })));
        const error = await rejection(fetchRiskSummary(options));
        expect(error).toBeInstanceOf(IncompletePaginationError);
        expect(error.message).toMatch(/^Read 1000 of 2000 users/);
    });

    it("stops requesting pages once one has failed", async () => {
        // Page 1, then a first wave of 8 pages of which one gets a 404 (never retried): no further page is asked for.
        api.failNext([
            {
                kind: "body",
                status: 200,
                contentType: "application/json",
                body: JSON.stringify({
                    success: true,
                    errors: [],
                    messages: [],
                    result: { users: api.users().slice(0, 20) },
                    result_info: { count: 20, page: 1, per_page: 20, total_count: 2000, total_pages: 100 },
                }),
            },
            { kind: "status", status: 404 },
        ]);
        await expect(fetchRiskSummary({ ...options, concurrency: 8 })).rejects.toBeInstanceOf(CloudflareApiError);
        // Give any straggling worker time to send what it would have sent.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(api.requests.length).toBeLessThanOrEqual(9);
    });

    it("names the field of a response that breaks the schema", async () => {
        const users = api
            .users()
            .slice(0, 3)
            .map((u, i) => (i === 2 ? { ...u, event_count: -1 } : u));
        api.failNext([
            {
                kind: "body",
                status: 200,
                contentType: "application/json",
                body: JSON.stringify({ success: true, errors: [], messages: [], result: { users } }),
            },
        ]);
        const error = await rejection(fetchRiskSummary(options));
        expect(error).toBeInstanceOf(RiskSummaryValidationError);
        expect(error.message).toContain("result.users[2].event_count");
        expect(error.message).toContain("number -1");
    });
});
