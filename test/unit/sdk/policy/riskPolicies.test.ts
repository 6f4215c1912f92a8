import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { policyNames, riskPolicies } from "../../../../sdk/policy/riskPolicies";
import { dynamicResourceType } from "../../../../sdk/resources/resourceTypes";

// The stack policy on resources as the engine records them; test/e2e/riskPolicyPack.test.ts runs it through the CLI.
const policy = riskPolicies({ fetchSummary: () => Promise.reject(new Error("the personal-data policy reads no account")) }).find(
    (p) => p.name === policyNames.personalDataSecret,
) as StackValidationPolicy;
const accountId = "0123456789abcdef0123456789abcdef";

function resource(name: string, type: string, props: Record<string, unknown>, additionalSecretOutputs: string[] = []): PolicyResource {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::app::${type}::${name}`,
        props,
        opts: { additionalSecretOutputs } as PolicyResource["opts"],
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

async function violations(resources: PolicyResource[], config: object = {}): Promise<string[]> {
    const found: string[] = [];
    const args = { resources, stackTags: new Map(), getConfig: () => config } as unknown as StackValidationArgs;
    await policy.validateStack(args, (message) => found.push(message));
    return found;
}

const summary = (personalData: unknown, packageVersion: unknown = "0.2.0") =>
    resource(`risk-summary-${accountId}`, dynamicResourceType("RiskSummary"), {
        accountId,
        audit: personalData === undefined ? { packageVersion } : { packageVersion, personalData },
    });

describe("the personal-data policy", () => {
    it("passes secret summaries and baselines, and resources of other packages", async () => {
        const trend = resource("trend", dynamicResourceType("RiskTrend"), { accountId }, ["record"]);
        const other = resource("bucket", "aws:s3/bucket:Bucket", { email: "someone@example.com" });
        expect(await violations([summary("secret"), trend, other])).toEqual([]);
    });

    it("names a plain summary, trend and gate with their account and the fix", async () => {
        const found = await violations([
            summary("plain"),
            resource("trend", dynamicResourceType("RiskTrend"), { accountId }),
            resource("gate", dynamicResourceType("RiskGate"), { accountId }, []),
        ]);
        expect(found).toHaveLength(3);
        expect(found[0]).toContain(
            `RiskSummary "risk-summary-${accountId}" (account ${accountId}) stores users' emails and names in plain text`,
        );
        expect(found[1]).toContain(`RiskTrend "trend" (account ${accountId})`);
        expect(found[2]).toContain(`RiskGate "gate" (account ${accountId})`);
        for (const message of found) expect(message).toContain("allowPlainPersonalData");
    });

    it("fails closed on a summary that does not record the setting, naming the version that read it", async () => {
        const [old] = await violations([summary(undefined, "0.2.0")]);
        expect(old).toContain("does not record whether its users are secret: it was read by pulumi-cloudflare-risk 0.2.0");
        const [noAudit] = await violations([resource("old", dynamicResourceType("RiskSummary"), { accountId })]);
        expect(noAudit).toContain("an earlier pulumi-cloudflare-risk");
    });

    it("allows everything when the config says so", async () => {
        expect(await violations([summary("plain"), summary(undefined)], { allowPlainPersonalData: true })).toEqual([]);
    });
});
