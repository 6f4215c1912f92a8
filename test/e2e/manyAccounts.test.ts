import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { type LocalStack, createLocalStack, localApiConfig } from "../support/localStack";

jest.setTimeout(20 * 60 * 1000);

const fixture = path.join(__dirname, "fixtures", "many-accounts");
const accountIds = Array.from({ length: 50 }, (_, i) => (i + 1).toString(16).padStart(32, "0"));
const usersPerAccount = 100;
// One page each: the client asks for pages of 1,000 by default.
const pagesPerAccount = Math.ceil(usersPerAccount / 1000);
let api: LocalCloudflareApi;
let local: LocalStack;

beforeAll(async () => {
    // Enough latency that requests of different accounts overlap.
    api = await startLocalCloudflareApi({
        accounts: Object.fromEntries(accountIds.map((id, i) => [id, { size: usersPerAccount, seed: i + 1 }])),
        latencyMs: 25,
    });
    local = await createLocalStack(fixture, { ...localApiConfig(api), accountIds: { value: JSON.stringify(accountIds) } });
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

/** Requests per account, from the server's log. */
function requestsPerAccount(): Map<string, number[]> {
    const pages = new Map<string, number[]>();
    for (const r of api.requests) {
        const id = /accounts\/([0-9a-f]{32})\//.exec(r.path)![1]!;
        pages.set(
            id,
            [...(pages.get(id) ?? []), r.page ?? 1].sort((a, b) => a - b),
        );
    }
    return pages;
}

describe("50 accounts in one deployment share one provider process", () => {
    it("reads each account once per deployment, with at most the default 8 requests in flight", async () => {
        api.resetRequestLog();
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        const counts = up.outputs.counts!.value as Record<string, { total: number; high: number }>;
        for (const id of accountIds) {
            const served = api.users(id);
            expect(counts[id]).toEqual({ total: served.length, high: served.filter((u) => u.max_risk_level === "high").length });
        }
        // 100 summaries, 50 accounts: each page of each account requested exactly once.
        const pages = requestsPerAccount();
        expect(pages.size).toBe(50);
        for (const id of accountIds) expect(pages.get(id)).toEqual(Array.from({ length: pagesPerAccount }, (_, i) => i + 1));
        expect(api.requests).toHaveLength(50 * pagesPerAccount);
        expect(api.peakInFlight).toBeLessThanOrEqual(8);
        expect(api.peakInFlight).toBeGreaterThan(1);
    });

    it("honours cloudflare-risk:maxConcurrentRequests across accounts", async () => {
        await local.stack.setConfig("cloudflare-risk:maxConcurrentRequests", { value: "3" });
        api.resetRequestLog();
        const preview = await local.stack.preview();
        expect(preview.stdout).not.toContain("error");
        expect(api.requests).toHaveLength(50 * pagesPerAccount);
        expect(api.peakInFlight).toBe(3);
    });

    it("rejects a bad limit in config, naming the key", async () => {
        await local.stack.setConfig("cloudflare-risk:maxConcurrentRequests", { value: "lots" });
        api.resetRequestLog();
        await expect(local.stack.preview()).rejects.toThrow(
            /Invalid argument "cloudflare-risk:maxConcurrentRequests": expected an integer from 1 to 256/,
        );
        expect(api.requests).toHaveLength(0);
        await local.stack.removeConfig("cloudflare-risk:maxConcurrentRequests");
    });
});
