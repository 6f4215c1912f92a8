import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { type LocalStack, createLocalStack, localApiConfig } from "../support/localStack";

jest.setTimeout(10 * 60 * 1000);

// The Cloudflare provider plugin cannot be installed here, so only the failing path runs through the
// engine: the limit check comes before any Cloudflare resource is registered, so no plugin is needed.
const fixture = path.join(__dirname, "fixtures", "access-limit");
let api: LocalCloudflareApi;
let local: LocalStack;

beforeAll(async () => {
    api = await startLocalCloudflareApi();
    local = await createLocalStack(fixture, { ...localApiConfig(api), listEntryLimit: { value: "10" }, maxLists: { value: "2" } });
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

describe("RiskAccessRules beyond the account's list limit, through the real Pulumi CLI", () => {
    it("fails the preview with the numbers and the fixes, and registers no list and no policy", async () => {
        const high = new Set(
            api
                .users()
                .filter((u) => u.max_risk_level === "high")
                .map((u) => u.email.toLowerCase()),
        ).size;
        expect(high).toBeGreaterThan(20);
        const failed = await local.cli(["preview"]).catch((error: { stdout?: string; stderr?: string }) => error);
        const output = `${(failed as { stdout?: string }).stdout ?? ""}${(failed as { stderr?: string }).stderr ?? ""}`;
        // execFile rejects with the exit code when the CLI fails.
        expect((failed as { code?: unknown }).code).toEqual(expect.any(Number));
        expect((failed as { code?: unknown }).code).not.toBe(0);
        expect(output).toMatch(
            new RegExp(
                `RiskAccessLimitError: ${high} risky users need \\d+ Zero Trust lists of 10 entries, more than the 2 allowed \\(maxLists\\)\\. Nothing was created\\.`,
            ),
        );
        expect(output).toContain("userRiskScore");
        expect(output).not.toContain(api.credentials.apiToken);
        for (const user of api.users()) expect(output).not.toContain(user.email);
        expect(output).not.toMatch(
            /cloudflare:index\/zeroTrustList|zeroTrustAccessPolicy:ZeroTrustAccessPolicy risk-aware-allow (create|creating)/,
        );
    });
});
