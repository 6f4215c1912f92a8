import * as pulumi from "@pulumi/pulumi";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";
import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";
import * as provider from "../../../../provider/dynamic/riskSummary";
import { getRiskSummary, getRiskSummaryOutput, resetRiskSummaryCalls } from "../../../../index";
import { accountId, apiToken, mockCloudflare } from "../../../support/mockCloudflare";
import { setRiskSummaryMocks } from "../../../support/riskSummaryMocks";

const users = generateRiskDataset({ size: 60, seed: 11 });
let registrations: pulumi.runtime.MockResourceArgs[] = [];
let mocked: ReturnType<typeof mockCloudflare>;
const originalDispatcher = getGlobalDispatcher();

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

beforeAll(() => {
    // The mock engine answers reads with the real provider implementation, over a MockAgent.
    registrations = setRiskSummaryMocks({ project: "risk-project" });
});

beforeEach(() => {
    registrations.length = 0;
    resetRiskSummaryCalls();
    provider.resetProviderState();
    // Pages of 20 whatever is asked: one read of the account is 3 requests.
    mocked = mockCloudflare(users, { maxPerPage: 20 });
    setGlobalDispatcher(mocked.agent);
});

afterAll(() => setGlobalDispatcher(originalDispatcher));

describe("getRiskSummaryOutput", () => {
    it("exposes every user, per-level lists, Access-ready emails and counts, with personal data secret", async () => {
        const summary = getRiskSummaryOutput({ accountId, apiToken });
        const value = await valueOf(summary);
        expect(value.id).toBe(accountId);
        expect(value.users).toHaveLength(60);
        const high = users.filter((u) => u.max_risk_level === "high");
        expect(value.counts).toEqual({
            total: 60,
            high: high.length,
            medium: users.filter((u) => u.max_risk_level === "medium").length,
            low: users.filter((u) => u.max_risk_level === "low").length,
            accountTotal: 60,
        });
        expect(value.highRiskEmails).toEqual(high.map((u) => u.email.toLowerCase()).sort());
        expect(value.highRiskUsers.map((u) => u.userId).sort()).toEqual(high.map((u) => u.user_id).sort());
        expect(await pulumi.isSecret(summary)).toBe(true);
        expect(await pulumi.isSecret(summary.highRiskEmails)).toBe(true);
    });

    it("accepts Input arguments and registers a read of the account (opts.id), with the token as a secret input", async () => {
        const summary = getRiskSummaryOutput({
            accountId: pulumi.output(accountId),
            apiToken: pulumi.secret(apiToken),
            minRiskLevel: "high",
        });
        const value = await valueOf(summary);
        expect(value.users.every((u) => u.maxRiskLevel === "high")).toBe(true);
        expect(value.counts.accountTotal).toBe(60);
        expect(registrations).toHaveLength(1);
        expect(registrations[0]!.id).toBe(accountId);
        expect(registrations[0]!.name).toMatch(new RegExp(`^risk-summary-${accountId}-[0-9a-f]{8}$`));
        expect(registrations[0]!.name).not.toContain(apiToken);
        expect(mocked.requests[0]!.headers.authorization).toBe(`Bearer ${apiToken}`);
    });

    it("keeps personal data plain when the program opts out", async () => {
        const summary = getRiskSummaryOutput({ accountId, apiToken, secretPersonalData: false });
        await valueOf(summary);
        expect(await pulumi.isSecret(summary)).toBe(false);
    });
});

describe("getRiskSummary", () => {
    it("resolves plain values", async () => {
        const value = await getRiskSummary({ accountId, apiToken, emailDomains: ["example.com"] });
        expect(value.users.length).toBeGreaterThan(0);
        expect(value.users.every((u) => u.email.endsWith("@example.com"))).toBe(true);
        expect(value.filters).toEqual({ emailDomains: ["example.com"] });
    });

    it("reuses one resource for identical calls and reads the account once", async () => {
        const [a, b] = await Promise.all([getRiskSummary({ accountId, apiToken }), getRiskSummary({ accountId, apiToken })]);
        expect(a).toEqual(b);
        expect(registrations).toHaveLength(1);
        const pagesRead = mocked.requests.length;
        expect(pagesRead).toBe(3);
    });

    it("reads the account once for two calls with different filters", async () => {
        const [all, high] = await Promise.all([
            getRiskSummary({ accountId, apiToken }),
            getRiskSummary({ accountId, apiToken, minRiskLevel: "high" }),
        ]);
        expect(registrations).toHaveLength(2);
        expect(new Set(registrations.map((r) => r.name)).size).toBe(2);
        expect(high.users.length).toBeLessThan(all.users.length);
        expect(mocked.requests).toHaveLength(3);
    });

    it("rejects bad arguments before registering anything", async () => {
        await expect(getRiskSummary({ accountId: "not-an-account", apiToken })).rejects.toBeInstanceOf(RiskSummaryArgumentError);
        await expect(getRiskSummary({ accountId, apiToken, minRiskLevel: "severe" as never })).rejects.toThrow(/"minRiskLevel"/);
        expect(registrations).toHaveLength(0);
    });
});
