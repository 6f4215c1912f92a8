import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";
import { CloudflareApiError } from "../../../../provider/client/errors";
import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";
import { CloudflareRiskError } from "../../../../provider/errors/cloudflareRiskError";
import * as provider from "../../../../provider/dynamic/riskSummary";
import { decodeStoredRiskUsers } from "../../../../provider/storage/storedRiskUsers";
import { accountId, mockCloudflare, scriptedCloudflare } from "../../../support/mockCloudflare";

const users = generateRiskDataset({ size: 45, seed: 3 });
const originalDispatcher = getGlobalDispatcher();
const savedEnv = { ...process.env };

function configOf(values: Record<string, string>) {
    return { config: { get: (key: string) => values[key], require: (key: string) => values[key]! } };
}

beforeEach(() => {
    provider.resetProviderState();
    delete process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_API_KEY;
    delete process.env.CLOUDFLARE_EMAIL;
    delete process.env.CLOUDFLARE_BASE_URL;
});

afterAll(() => {
    setGlobalDispatcher(originalDispatcher);
    process.env = savedEnv;
});

describe("the dynamic provider's read", () => {
    it("uses the stack config's cloudflare:apiToken when no argument is given, and returns the state it stores", async () => {
        const mocked = mockCloudflare(users);
        setGlobalDispatcher(mocked.agent);
        await provider.configure(configOf({ "cloudflare:apiToken": "config-token" }));
        process.env.CLOUDFLARE_API_TOKEN = "env-token";
        const result = await provider.read(accountId, { accountId, minRiskLevel: "medium" });
        expect(mocked.requests[0]!.headers.authorization).toBe("Bearer config-token");
        expect(result.id).toBe(accountId);
        expect(Object.keys(result.props!).sort()).toEqual(["accountId", "audit", "counts", "fetchedAt", "filters", "users"]);
        expect(decodeStoredRiskUsers(result.props!.users).every((u) => u.maxRiskLevel !== "low")).toBe(true);
        expect(result.props!.counts.accountTotal).toBe(45);
        expect(JSON.stringify(result)).not.toContain("config-token");
    });

    it("records in the audit how the SDK keeps the users (secret or plain), and nothing when it was not told", async () => {
        const mocked = mockCloudflare(users);
        setGlobalDispatcher(mocked.agent);
        await provider.configure(configOf({ "cloudflare:apiToken": "config-token" }));
        const secret = await provider.read(accountId, { accountId, secretPersonalData: true });
        const plain = await provider.read(accountId, { accountId, secretPersonalData: false });
        const untold = await provider.read(accountId, { accountId });
        expect([secret, plain, untold].map((r) => r.props!.audit.personalData)).toEqual(["secret", "plain", undefined]);
        expect("personalData" in untold.props!.audit).toBe(false);
        await expect(provider.read(accountId, { accountId, secretPersonalData: "no" as unknown as boolean })).rejects.toThrow(
            /secretPersonalData/,
        );
    });

    it("prefers an explicit argument over config, and config's baseUrl over the environment's", async () => {
        const mocked = mockCloudflare(users);
        setGlobalDispatcher(mocked.agent);
        await provider.configure(
            configOf({ "cloudflare:apiToken": "config-token", "cloudflare:baseUrl": "https://api.cloudflare.com/client/v4" }),
        );
        process.env.CLOUDFLARE_BASE_URL = "http://127.0.0.1:1/client/v4";
        await provider.read(accountId, { accountId, apiToken: "arg-token" });
        expect(mocked.requests[0]!.headers.authorization).toBe("Bearer arg-token");
    });

    it("falls back to the environment when neither arguments nor config have credentials", async () => {
        const mocked = mockCloudflare(users);
        setGlobalDispatcher(mocked.agent);
        await provider.configure(configOf({}));
        process.env.CLOUDFLARE_API_KEY = "env-key";
        process.env.CLOUDFLARE_EMAIL = "ops@example.com";
        await provider.read(accountId, { accountId });
        expect(mocked.requests[0]!.headers["x-auth-key"]).toBe("env-key");
    });

    it("fails without credentials, naming where to set them", async () => {
        await provider.configure(configOf({}));
        await expect(provider.read(accountId, { accountId })).rejects.toThrow(/cloudflare:apiToken.*CLOUDFLARE_API_TOKEN/);
        await expect(provider.read(accountId, { accountId })).rejects.toBeInstanceOf(RiskSummaryArgumentError);
    });

    it("reads an account once per process whatever the filters, but retries after a failure", async () => {
        const failing = scriptedCloudflare([
            {
                status: 403,
                body: JSON.stringify({
                    success: false,
                    errors: [{ code: 10000, message: "Authentication error" }],
                    messages: [],
                    result: null,
                }),
            },
        ]);
        setGlobalDispatcher(failing.agent);
        await expect(provider.read(accountId, { accountId, apiToken: "t" })).rejects.toBeInstanceOf(CloudflareApiError);

        // Pages of 20 whatever is asked: one read of the account is 3 requests.
        const mocked = mockCloudflare(users, { maxPerPage: 20 });
        setGlobalDispatcher(mocked.agent);
        const [all, high] = await Promise.all([
            provider.read(accountId, { accountId, apiToken: "t" }),
            provider.read(accountId, { accountId, apiToken: "t", minRiskLevel: "high" }),
        ]);
        expect(mocked.requests).toHaveLength(3);
        expect(decodeStoredRiskUsers(high.props!.users).length).toBeLessThan(decodeStoredRiskUsers(all.props!.users).length);
        expect(high.props!.fetchedAt).toBe(all.props!.fetchedAt);
    });

    it("refuses to create: the resource is a data source", async () => {
        await expect(provider.create()).rejects.toBeInstanceOf(CloudflareRiskError);
    });
});
