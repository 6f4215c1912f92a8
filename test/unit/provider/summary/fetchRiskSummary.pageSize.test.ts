import { type LocalCloudflareApi, type LocalCloudflareApiOptions, startLocalCloudflareApi } from "../../../../dev/local-api";
import { CloudflareApiError, RiskSummaryValidationError, type FetchRiskSummaryOptions, fetchRiskSummary } from "../../../../index";
// Not exported from the package root yet.
import { RequestBudgetError } from "../../../../provider/client/errors";
import { RequestLimiter, setSharedRequestLimits } from "../../../../provider/client/limiter";
import { fetchAccountRiskUsers } from "../../../../provider/client/pages";
import { resolveRequestSettings } from "../../../../provider/client/requestSettings";
import { argumentNames } from "../../../../provider/client/credentials";
import { defaultPerPage } from "../../../../provider/arguments/defaults";
import { rejection } from "../../../support/rejection";

/**
 * The page size the client asks for, what it does when the server pages by less or refuses, and the
 * request budget: over real sockets against the embedded API.
 */

// A 429's pause and the rate window apply to the whole process by design; each case starts without either.
beforeEach(() => {
    setSharedRequestLimits({});
});

const servers: LocalCloudflareApi[] = [];
async function server(options: LocalCloudflareApiOptions): Promise<LocalCloudflareApi> {
    const api = await startLocalCloudflareApi({ seed: 3, ...options });
    servers.push(api);
    return api;
}
afterAll(() => Promise.all(servers.map((api) => api.stop())));

const optionsFor = (api: LocalCloudflareApi, extra: Partial<FetchRiskSummaryOptions> = {}): FetchRiskSummaryOptions => ({
    accountId: api.accountId,
    apiToken: api.credentials.apiToken,
    baseUrl: api.baseUrl,
    maxRetries: 1,
    ...extra,
});

const queries = (api: LocalCloudflareApi) => api.requests.map((r) => r.query);
const sortedIds = (ids: Iterable<string>) => [...ids].sort();

/** No email or name of the account's users in `text` (plain checks: `expect` per user is slow for 100,000). */
function expectNoPersonalData(api: LocalCloudflareApi, text: string): void {
    const lower = text.toLowerCase();
    const found = api.users().flatMap((u) => [u.email, u.name].filter((value) => lower.includes(value.toLowerCase())));
    expect(found).toEqual([]);
}

describe("the page size asked for", () => {
    it("reads 100,000 users in 100 requests of 1,000 with no argument set", async () => {
        const api = await server({ size: 100_000 });
        const summary = await fetchRiskSummary(optionsFor(api));
        expect(defaultPerPage).toBe(1000);
        expect(api.requests.length).toBeLessThanOrEqual(100);
        expect(api.requests).toHaveLength(100);
        expect(queries(api).every((q) => q.per_page === "1000")).toBe(true);
        expect(sortedIds(api.requests.map((r) => String(r.page)))).toEqual(sortedIds(Array.from({ length: 100 }, (_, i) => String(i + 1))));
        expect(summary.users).toHaveLength(100_000);
        expect(sortedIds(summary.users.map((u) => u.userId))).toEqual(sortedIds(api.users().map((u) => u.user_id)));
    }, 60_000);

    it("follows the page size the server reports when it pages by less than asked", async () => {
        const api = await server({ size: 2_000, maxPerPage: 250 });
        const summary = await fetchRiskSummary(optionsFor(api));
        expect(summary.users).toHaveLength(2_000);
        expect(queries(api)).toEqual([
            { page: "1", per_page: "1000" },
            ...Array.from({ length: 7 }, (_, i) => ({ page: String(i + 2), per_page: "250" })),
        ]);
    });

    it("follows a server that ignores per_page, by less or by more than asked", async () => {
        const small = await server({ size: 2_000, defaultPerPage: 300, ignorePerPage: true });
        expect((await fetchRiskSummary(optionsFor(small))).users).toHaveLength(2_000);
        expect(queries(small)).toEqual([
            { page: "1", per_page: "1000" },
            ...Array.from({ length: 6 }, (_, i) => ({ page: String(i + 2), per_page: "300" })),
        ]);
        const whole = await server({ size: 3_000, defaultPerPage: 3_000, maxPerPage: 3_000, ignorePerPage: true });
        expect((await fetchRiskSummary(optionsFor(whole))).users).toHaveLength(3_000);
        expect(queries(whole)).toEqual([{ page: "1", per_page: "1000" }]);
    });

    it("asks for `perPage` when it is set", async () => {
        const api = await server({ size: 2_000 });
        const summary = await fetchRiskSummary(optionsFor(api, { perPage: 20 }));
        expect(summary.users).toHaveLength(2_000);
        expect(api.requests).toHaveLength(100);
        expect(queries(api).every((q) => q.per_page === "20")).toBe(true);
    });
});

describe("a server that refuses the page size", () => {
    it("falls back once to the server's default page size, and says so in a debug message", async () => {
        const api = await server({ size: 2_000, maxPerPage: 100, perPageAboveMax: "refuse" });
        const messages: string[] = [];
        const settings = {
            ...resolveRequestSettings(api.accountId, {}, [
                { values: { apiToken: api.credentials.apiToken, baseUrl: api.baseUrl }, names: argumentNames },
            ]),
            debug: (message: string) => messages.push(message),
        };
        const { users } = await fetchAccountRiskUsers(settings);
        expect(sortedIds(users.map((u) => u.user_id))).toEqual(sortedIds(api.users().map((u) => u.user_id)));
        // The refused page 1, page 1 again as Cloudflare's SDK asks for it, then pages 2..100 of 20, never with per_page.
        expect(api.requests).toHaveLength(101);
        expect(api.requests[0]).toMatchObject({ status: 400, query: { page: "1", per_page: "1000" } });
        expect(api.requests[1]).toMatchObject({ status: 200, query: {} });
        expect(api.requests.slice(2).every((r) => r.status === 200 && r.query.per_page === undefined)).toBe(true);
        expect(messages).toHaveLength(1);
        expect(messages[0]).toContain("per_page=1000");
        expect(messages[0]).toContain("HTTP 400");
        expect(messages[0]).toContain("the server's default page size");
        expectNoPersonalData(api, messages[0]!);
        expect(messages[0]).not.toContain(api.credentials.apiToken);
    });

    it("falls back on a scripted 400 naming per_page, and returns every user", async () => {
        const api = await server({ size: 300 });
        api.failNext([{ kind: "refusePerPage" }]);
        const summary = await fetchRiskSummary(optionsFor(api));
        expect(summary.users).toHaveLength(300);
        expect(api.requests.map((r) => r.status)).toEqual([400, ...Array.from({ length: 15 }, () => 200)]);
    });

    it("does not fall back from a `perPage` the user set: the refusal is the error", async () => {
        const api = await server({ size: 300, maxPerPage: 100, perPageAboveMax: "refuse" });
        const error = await rejection(fetchRiskSummary(optionsFor(api, { perPage: 500 })));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toContain("(HTTP 400)");
        expect(error.message).toContain("per_page must be at most 100, got 500");
        expect(api.requests).toHaveLength(1);
    });

    it("does not fall back on a 4xx that does not name per_page", async () => {
        const api = await server({ size: 300 });
        api.failNext([{ kind: "status", status: 400 }]);
        const error = await rejection(fetchRiskSummary(optionsFor(api)));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(api.requests).toHaveLength(1);
    });
});

describe("the request budget", () => {
    it("fails at once, after page 1 only, when the rate limit cannot let every page start before the deadline", async () => {
        // 100,000 users in pages of 20: 4,999 pages after page 1, 1,199 of them within the default 1,200 per five minutes.
        const api = await server({ size: 100_000, maxPerPage: 20 });
        const started = Date.now();
        const error = await rejection(fetchRiskSummary(optionsFor(api)));
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(api.requests).toHaveLength(1);
        expect(error).toBeInstanceOf(RequestBudgetError);
        const budget = (error as RequestBudgetError).budget;
        expect(budget).toMatchObject({
            totalPages: 5_000,
            totalCount: 100_000,
            perPage: 20,
            refusedPerPage: undefined,
            remainingPages: 4_999,
            startablePages: 1_199,
            maxRequestsPerFiveMinutes: 1_200,
            timeoutMs: 60_000,
        });
        // The last page could start only four windows (20 minutes) after page 1.
        expect(budget.minimumTimeoutMs).toBeGreaterThanOrEqual(1_200_000);
        expect(budget.minimumTimeoutMs).toBeLessThanOrEqual(1_206_000);
        expect((error as RequestBudgetError).code).toBe("CFRISK_REQUEST_BUDGET");
        expect(error.message).toContain(
            `GET /client/v4/accounts/${api.accountId}/zt_risk_scoring/summary announces 100000 users in 5000 pages of 20`,
        );
        expect(error.message).toContain(
            "at 1200 requests per five minutes, only 1199 of the 4999 remaining pages could start within `timeoutMs` (60000 ms)",
        );
        expect(error.message).toContain("Ask for larger pages with `perPage`");
        expect(error.message).toContain(`raise \`timeoutMs\` above ${budget.minimumTimeoutMs}`);
        expect(error.message).toContain("`cloudflare-risk:maxRequestsPerFiveMinutes`");
        expect(error.message).toContain("`cloudflare-risk:maxConcurrentRequests` do not change");
        expect(error.message).not.toContain(api.credentials.apiToken);
        expectNoPersonalData(api, error.message);
    }, 60_000);

    it("says when the pages are small because the server refused the page size", async () => {
        const api = await server({ size: 30_000, maxPerPage: 100, perPageAboveMax: "refuse" });
        const error = await rejection(fetchRiskSummary(optionsFor(api)));
        expect(error).toBeInstanceOf(RequestBudgetError);
        expect(error.message).toContain("announces 30000 users in 1500 pages of 20 (the server refused `per_page=1000`");
        expect(api.requests).toHaveLength(2);
    }, 30_000);

    it("reads up to the rate limit exactly, and fails one page beyond it", async () => {
        const api = await server({ size: 2_000 });
        // 100 pages of 20: page 1 and 99 more.
        const fits = await fetchRiskSummary(
            optionsFor(api, { perPage: 20, limiter: new RequestLimiter({ maxRequestsPerFiveMinutes: 100 }) }),
        );
        expect(fits.users).toHaveLength(2_000);
        expect(api.requests).toHaveLength(100);
        api.resetRequestLog();
        const error = await rejection(
            fetchRiskSummary(optionsFor(api, { perPage: 20, limiter: new RequestLimiter({ maxRequestsPerFiveMinutes: 99 }) })),
        );
        expect(error).toBeInstanceOf(RequestBudgetError);
        expect((error as RequestBudgetError).budget).toMatchObject({
            remainingPages: 99,
            startablePages: 98,
            maxRequestsPerFiveMinutes: 99,
        });
        expect(api.requests).toHaveLength(1);
    });

    it("counts what earlier reads of the same limiter used of the window", async () => {
        const api = await server({ size: 2_000 });
        const limiter = new RequestLimiter({ maxRequestsPerFiveMinutes: 150 });
        await fetchRiskSummary(optionsFor(api, { perPage: 20, limiter }));
        api.resetRequestLog();
        // 100 used: page 1 takes one more, and 49 of the 99 remaining pages could start.
        const error = await rejection(fetchRiskSummary(optionsFor(api, { perPage: 20, limiter })));
        expect(error).toBeInstanceOf(RequestBudgetError);
        expect((error as RequestBudgetError).budget).toMatchObject({ remainingPages: 99, startablePages: 49 });
        expect(api.requests).toHaveLength(1);
    });

    it("lets a read run whose pages can all start before the deadline, however long they wait", async () => {
        const api = await server({ size: 2_000 });
        // 100 pages at 10 per five minutes: the last could start after 45 minutes, within a deadline of an hour.
        // Page 2 then fails (a 404, never retried), which proves the pages were requested without waiting the read out.
        api.failNext([{ kind: "pass" }, { kind: "status", status: 404 }]);
        const limiter = new RequestLimiter({ maxRequestsPerFiveMinutes: 10 });
        const error = await rejection(fetchRiskSummary(optionsFor(api, { perPage: 20, limiter, timeoutMs: 3_600_000 })));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(api.requests.length).toBeGreaterThanOrEqual(2);
        expect(api.requests.length).toBeLessThanOrEqual(10);
    });
});

describe("empty accounts and loose result_info", () => {
    it.each([
        ["the server's own answer (total_pages 0)", undefined],
        ["per_page 0", { set: { per_page: 0 } }],
        ["total_pages 1", { set: { total_pages: 1 } }],
        ["every count 0, page and per_page too", { set: { count: 0, page: 0, per_page: 0, total_count: 0, total_pages: 0 } }],
        ["page, count and per_page missing", { remove: ["page", "count", "per_page"] }],
        ["per_page null and page a string", { set: { per_page: null, page: "1" } }],
        ["no result_info", { whole: "absent" as const }],
        ["result_info null", { whole: "null" as const }],
    ])("reads an empty account answered with %s as zero users, in one request", async (_, edit) => {
        const api = await server({ size: 0 });
        if (edit !== undefined) api.failNext([{ kind: "resultInfo", ...edit }]);
        const summary = await fetchRiskSummary(optionsFor(api));
        expect(summary.users).toEqual([]);
        expect(summary.counts).toEqual({ total: 0, high: 0, medium: 0, low: 0, accountTotal: 0 });
        expect(api.requests).toHaveLength(1);
    });

    it("reads every page when page 1's per_page is not a number, asking the later pages for the size it asked page 1 for", async () => {
        const api = await server({ size: 100, maxPerPage: 20 });
        api.failNext([{ kind: "resultInfo", set: { per_page: "20", count: -1, page: null } }]);
        const summary = await fetchRiskSummary(optionsFor(api));
        expect(summary.users).toHaveLength(100);
        expect(queries(api)).toEqual(Array.from({ length: 5 }, (_, i) => ({ page: String(i + 1), per_page: "1000" })));
    });

    it.each([
        ["total_count", "many", "result_info.total_count: Invalid input: expected number, received string; found a string of 4 characters"],
        ["total_pages", -1, "result_info.total_pages: Too small: expected number to be >=0; found number -1"],
    ])("still checks %s strictly: it proves the read complete", async (field, value, excerpt) => {
        const api = await server({ size: 100 });
        api.failNext([{ kind: "resultInfo", set: { [field]: value } }]);
        const error = await rejection(fetchRiskSummary(optionsFor(api)));
        expect(error).toBeInstanceOf(RiskSummaryValidationError);
        expect(error.message).toContain(excerpt);
    });
});
