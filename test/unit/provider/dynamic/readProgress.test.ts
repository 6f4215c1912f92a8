import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../../../dev/local-api";
import { RequestLimiter, type RequestWaitCause, setSharedRequestLimits } from "../../../../provider/client/limiter";
import { type AccountReadProgress, fetchAccountRiskUsers } from "../../../../provider/client/pages";
import { resolveRequestSettings } from "../../../../provider/client/requestSettings";
import { argumentNames } from "../../../../provider/client/credentials";
import { describeReadProgress } from "../../../../provider/dynamic/readProgress";

let api: LocalCloudflareApi;

beforeAll(async () => {
    // 500 users in pages of 100.
    api = await startLocalCloudflareApi({ size: 500, maxPerPage: 100 });
});
afterAll(() => api.stop());
beforeEach(() => {
    api.reset();
    setSharedRequestLimits({});
});

const settingsFor = (progress: (p: AccountReadProgress) => void, limiter = new RequestLimiter()) => ({
    ...resolveRequestSettings(
        api.accountId,
        { concurrency: 1, maxRetries: 2 },
        [{ values: { apiToken: api.credentials.apiToken, baseUrl: api.baseUrl }, names: argumentNames }],
        undefined,
        limiter,
    ),
    progress,
});

describe("the progress of a read", () => {
    it("is told after each page: pages and users read, of how many", async () => {
        const seen: AccountReadProgress[] = [];
        await fetchAccountRiskUsers(settingsFor((p) => seen.push(p)));
        expect(seen).toEqual(
            Array.from({ length: 5 }, (_, i) => ({ read: 1, pagesRead: i + 1, totalPages: 5, usersRead: (i + 1) * 100, totalCount: 500 })),
        );
    });

    it("is told of a wait for Retry-After before the request is sent again", async () => {
        api.failNext([{ kind: "pass" }, { kind: "status", status: 429, retryAfter: "1" }]);
        const seen: AccountReadProgress[] = [];
        await fetchAccountRiskUsers(settingsFor((p) => seen.push(p)));
        const waits = seen.filter((p) => p.waitMs !== undefined);
        expect(waits).toEqual([
            { read: 1, pagesRead: 1, totalPages: 5, usersRead: 100, totalCount: 500, waitMs: 1000, waitCause: "Retry-After" },
        ]);
        expect(seen[seen.length - 1]).toEqual({ read: 1, pagesRead: 5, totalPages: 5, usersRead: 500, totalCount: 500 });
    });

    it("starts again from page 1, counting the read, when a page shows the account changed", async () => {
        // Page 2 reports a user more than page 1 did: the read stops there and starts again.
        api.failNext([{ kind: "pass" }, { kind: "totalPages", totalPages: 6, totalCount: 501 }]);
        const seen: AccountReadProgress[] = [];
        const { reads, pagesRequested } = await fetchAccountRiskUsers(settingsFor((p) => seen.push(p)));
        expect({ reads, pagesRequested }).toEqual({ reads: 2, pagesRequested: 7 });
        expect(seen.map((p) => [p.read, p.pagesRead])).toEqual([
            [1, 1],
            [1, 2],
            [2, 1],
            [2, 2],
            [2, 3],
            [2, 4],
            [2, 5],
        ]);
    });

    it("is never allowed to fail the read", async () => {
        const { users } = await fetchAccountRiskUsers(
            settingsFor(() => {
                throw new Error("a broken display");
            }),
        );
        expect(users).toHaveLength(500);
    });

    it("hears of the limiter's waits for a pause, as Retry-After", async () => {
        const limiter = new RequestLimiter();
        limiter.pauseUntil(Date.now() + 200);
        const waits: [number, RequestWaitCause][] = [];
        await limiter.run(
            Date.now() + 5_000,
            () => Promise.resolve(),
            (ms, cause) => waits.push([ms, cause]),
        );
        expect(waits).toHaveLength(1);
        expect(waits[0]![1]).toBe("Retry-After");
        // What is left of the pause when the request asks; a loaded machine may have used much of it.
        expect(waits[0]![0]).toBeGreaterThan(0);
        expect(waits[0]![0]).toBeLessThanOrEqual(200);
    });
});

describe("describeReadProgress", () => {
    const account = "0123456789abcdef0123456789abcdef";
    it.each([
        [{ read: 1, pagesRead: 37, totalPages: 100, usersRead: 37_000, totalCount: 100_000 }, "page 37 of 100, 37,000 of 100,000 users"],
        [
            { read: 2, pagesRead: 4, totalPages: 100, usersRead: 4_000, totalCount: 100_001 },
            "page 4 of 100, 4,000 of 100,001 users (read 2 of at most 3: the account changed during the last one)",
        ],
        [
            { read: 1, pagesRead: 1, totalPages: 5, usersRead: 100, totalCount: 500, waitMs: 1_500, waitCause: "Retry-After" as const },
            "page 1 of 5, 100 of 500 users; waiting 2 s (Retry-After from Cloudflare)",
        ],
        [
            { read: 1, pagesRead: 3, totalPages: 9, usersRead: 60, totalCount: 180, waitMs: 120, waitCause: "backoff" as const },
            "page 3 of 9, 60 of 180 users; waiting 1 s (before a retry)",
        ],
        [
            { read: 1, pagesRead: 3, totalPages: 9, usersRead: 60, totalCount: 180, waitMs: 61_000, waitCause: "rate limit" as const },
            "page 3 of 9, 60 of 180 users; waiting 61 s (rate limit, cloudflare-risk:maxRequestsPerFiveMinutes)",
        ],
        [{ read: 1, pagesRead: 1, totalPages: undefined, usersRead: 12, totalCount: undefined }, "page 1, 12 of ? users"],
    ])("%j", (progress, expected) => {
        expect(describeReadProgress(account, progress)).toBe(`Reading the risk scores of Cloudflare account ${account}: ${expected}`);
    });
});
