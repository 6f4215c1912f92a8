import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { generateRiskDataset, withRiskLevel } from "../../../dev/local-api/riskDataset";
import * as provider from "../../../provider/dynamic/riskSummary";
import type { WireRiskUser } from "../../../provider/client/schema";
import type { RiskLevel } from "../../../provider/model/riskLevel";
import { accountId, apiToken, mockCloudflare } from "../../support/mockCloudflare";
import { riskSummaryType, secretInput, setRiskSummaryMocks } from "../../support/riskSummaryMocks";

// examples/access-policy, run as `pulumi up` would run it, against a mocked engine: the Cloudflare
// resources are recorded, the risk summary is read by the real provider code over a MockAgent.

const project = "risk-access-policy";
const policyType = "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy";
const applicationType = "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication";
const componentType = "cloudflare-risk:index:RiskAccessRules";
const listType = "cloudflare:index/zeroTrustList:ZeroTrustList";
const liveHighRisk = { userRiskScore: { userRiskScores: ["high"] } };
const liveHighAndMediumRisk = { userRiskScore: { userRiskScores: ["high", "medium"] } };
const domain = "example.com";

/** The program's stack outputs. */
interface AccessPolicyProgram {
    readonly accessPolicyId: pulumi.Output<string>;
    readonly applicationId: pulumi.Output<string> | undefined;
    readonly excludedUserCount: pulumi.Output<number>;
    readonly riskListCount: pulumi.Output<number>;
}

const dataset = generateRiskDataset({ size: 120, seed: 5 });
const originalDispatcher = getGlobalDispatcher();
let registrations: pulumi.runtime.MockResourceArgs[] = [];
let mocked: ReturnType<typeof mockCloudflare>;

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** What the policy must exclude, computed from the wire data independently of the SDK. */
function emailsOf(users: readonly WireRiskUser[], levels: readonly RiskLevel[]): string[] {
    return users
        .filter((u) => levels.includes(u.max_risk_level) && u.email.toLowerCase().endsWith(`@${domain}`))
        .map((u) => u.email.toLowerCase())
        .sort();
}

function serve(users: readonly WireRiskUser[]): void {
    mocked = mockCloudflare(users);
    setGlobalDispatcher(mocked.agent);
}

// The program's imports go through jest, which maps "pulumi-cloudflare-risk" to the sources.
const programPath = path.join(__dirname, "../../../examples/access-policy/index.ts");

/** Sets the stack config and runs a fresh copy of the program and its imports, as each `pulumi up` does. */
function runProgram(config: Record<string, string>): AccessPolicyProgram {
    const keys = Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value]);
    pulumi.runtime.setAllConfig(Object.fromEntries(keys), ["cloudflare:apiToken"]);
    const module = { exports: {} as AccessPolicyProgram };
    jest.isolateModules(() => {
        module.exports = require(programPath) as AccessPolicyProgram;
    });
    return module.exports;
}

function registered(type: string): pulumi.runtime.MockResourceArgs {
    const matches = registrations.filter((r) => r.type === type);
    expect(matches).toHaveLength(1);
    return matches[0]!;
}

beforeAll(() => {
    registrations = setRiskSummaryMocks({
        project,
        // Cloudflare resources echo their inputs, with an id derived from the name.
        otherResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    });
});

beforeEach(() => {
    registrations.length = 0;
    provider.resetProviderState();
});

afterAll(() => {
    setGlobalDispatcher(originalDispatcher);
    pulumi.runtime.setAllConfig({});
});

describe("examples/access-policy", () => {
    it("allows the domain and excludes its high-risk users: live by risk score, and by the snapshot's secret email rules", async () => {
        serve(dataset);
        const program = runProgram({ accountId, allowedEmailDomain: domain, "cloudflare:apiToken": apiToken });
        const highRisk = emailsOf(dataset, ["high"]);
        expect(highRisk.length).toBeGreaterThan(1);

        expect(await valueOf(program.accessPolicyId)).toBe("risk-aware-allow-id");
        expect(registrations.map((r) => r.type).sort()).toEqual([componentType, policyType, riskSummaryType].sort());
        expect(registered(policyType).inputs).toStrictEqual({
            accountId,
            name: "Allow example.com, except high-risk users",
            decision: "allow",
            includes: [{ emailDomain: { domain } }],
            excludes: secretInput([liveHighRisk, ...highRisk.map((email) => ({ email: { email } }))]),
        });

        // Only the users the policy needs are read into the state; the token is the provider's business.
        const summaryInputs = registered(riskSummaryType).inputs as Record<string, unknown>;
        expect(summaryInputs).toMatchObject({ accountId, emailDomains: [domain], minRiskLevel: "high" });
        expect(summaryInputs).not.toHaveProperty("apiToken");
        expect(JSON.stringify(registrations)).not.toContain(apiToken);
        expect(mocked.requests[0]!.headers.authorization).toBe(`Bearer ${apiToken}`);

        expect(program.applicationId).toBeUndefined();
        expect(await valueOf(program.excludedUserCount)).toBe(highRisk.length);
        expect(await pulumi.isSecret(program.excludedUserCount)).toBe(false);
        expect(await valueOf(program.riskListCount)).toBe(0);
    });

    it("with includeMediumRisk, also excludes medium-risk users, and protects the configured application", async () => {
        // A mixed-case address must still yield one lower-cased rule.
        const firstMedium = dataset.findIndex((u) => u.max_risk_level === "medium" && u.email.endsWith(`@${domain}`));
        const users = dataset.map((u, i) => (i === firstMedium ? { ...u, email: u.email.toUpperCase() } : u));
        serve(users);
        const program = runProgram({
            accountId,
            allowedEmailDomain: "Example.COM",
            includeMediumRisk: "true",
            applicationDomain: "app.example.com",
            "cloudflare:apiToken": apiToken,
        });
        const highAndMedium = emailsOf(users, ["high", "medium"]);
        expect(highAndMedium.length).toBeGreaterThan(emailsOf(users, ["high"]).length);
        expect(highAndMedium).toContain(dataset[firstMedium]!.email);

        expect(await valueOf(program.applicationId!)).toBe("sensitive-application-id");
        expect(registrations.map((r) => r.type).sort()).toEqual([applicationType, componentType, policyType, riskSummaryType].sort());
        expect(registered(policyType).inputs).toStrictEqual({
            accountId,
            name: "Allow example.com, except high- and medium-risk users",
            decision: "allow",
            includes: [{ emailDomain: { domain } }],
            excludes: secretInput([liveHighAndMediumRisk, ...highAndMedium.map((email) => ({ email: { email } }))]),
        });
        expect(registered(applicationType).inputs).toStrictEqual({
            accountId,
            name: "Sensitive application (app.example.com)",
            type: "self_hosted",
            domain: "app.example.com",
            destinations: [{ type: "public", uri: "app.example.com" }],
            policies: [{ id: "risk-aware-allow-id", precedence: 1 }],
        });
        expect(registered(riskSummaryType).inputs).toMatchObject({ emailDomains: [domain], minRiskLevel: "medium" });
        expect(await valueOf(program.excludedUserCount)).toBe(highAndMedium.length);
    });

    it("with no high-risk user, the snapshot adds no rule (never an invalid placeholder) and the live rule remains", async () => {
        const noHighRisk = dataset.filter((u) => u.max_risk_level !== "high");
        expect(emailsOf(noHighRisk, ["medium"]).length).toBeGreaterThan(0);
        serve(noHighRisk);
        const program = runProgram({ accountId, allowedEmailDomain: domain, "cloudflare:apiToken": apiToken });

        await valueOf(program.accessPolicyId);
        expect(registered(policyType).inputs).toStrictEqual({
            accountId,
            name: "Allow example.com, except high-risk users",
            decision: "allow",
            includes: [{ emailDomain: { domain } }],
            excludes: secretInput([liveHighRisk]),
        });
        expect(await valueOf(program.excludedUserCount)).toBe(0);
    });

    it("with more high-risk users than email rules allow, excludes them through Zero Trust lists", async () => {
        const users = generateRiskDataset({ size: 1500, seed: 9, domains: [domain] }).map((u) => withRiskLevel(u, "high"));
        serve(users);
        const program = runProgram({ accountId, allowedEmailDomain: domain, "cloudflare:apiToken": apiToken });
        await valueOf(program.accessPolicyId);
        const lists = registrations.filter((r) => r.type === listType).sort((a, b) => (a.name < b.name ? -1 : 1));
        expect(lists.length).toBeGreaterThan(1);
        expect(await valueOf(program.riskListCount)).toBe(lists.length);
        expect(await valueOf(program.excludedUserCount)).toBe(emailsOf(users, ["high"]).length);
        expect(registered(policyType).inputs).toStrictEqual({
            accountId,
            name: "Allow example.com, except high-risk users",
            decision: "allow",
            includes: [{ emailDomain: { domain } }],
            excludes: secretInput([liveHighRisk, ...lists.map((l) => ({ emailList: { id: `${l.name}-id` } }))]),
        });
        for (const list of lists) expect(list.inputs.items).toEqual(secretInput(expect.any(Array)));
    });

    it("takes the account from CLOUDFLARE_ACCOUNT_ID when accountId is not configured", async () => {
        serve(dataset);
        const previous = process.env.CLOUDFLARE_ACCOUNT_ID;
        process.env.CLOUDFLARE_ACCOUNT_ID = accountId;
        try {
            const program = runProgram({ allowedEmailDomain: domain, "cloudflare:apiToken": apiToken });
            await valueOf(program.accessPolicyId);
        } finally {
            if (previous === undefined) delete process.env.CLOUDFLARE_ACCOUNT_ID;
            else process.env.CLOUDFLARE_ACCOUNT_ID = previous;
        }
        expect(registered(policyType).inputs).toMatchObject({ accountId });
        expect(registered(riskSummaryType).inputs).toMatchObject({ accountId });
    });
});
