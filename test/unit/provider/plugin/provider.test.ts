import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../../../dev/local-api";
import { cloudflareRiskProvider as plugin } from "../../../../provider/plugin/provider";
import { pluginSchema } from "../../../../provider/plugin/schema";
import { riskSummaryArgNames } from "../../../../provider/arguments/riskSummaryArgs";
import { forgetAccountReads } from "../../../../provider/dynamic/accountReads";
import { revealSecrets } from "../../../../provider/plugin/secrets";
import { highRiskEmailsOf } from "../../../support/expectedRisk";

let api: LocalCloudflareApi;
const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
const gateUrn = "urn:pulumi:dev::proj::cloudflare-risk:index:RiskGate::gate";

beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 300, seed: 3 });
});
afterAll(() => api.stop());
beforeEach(() => {
    api.reset();
    forgetAccountReads();
});

const args = () => ({ accountId: api.accountId, apiToken: secret(api.credentials.apiToken), baseUrl: api.baseUrl });
const highEmails = () => highRiskEmailsOf(api.users());

describe("the cloudflare-risk plugin", () => {
    it("getRiskSummary returns every user with the emails and names secret, and counts and the audit plain", async () => {
        const { outputs, failures } = await plugin.invoke!("cloudflare-risk:index:getRiskSummary", args());
        expect(failures).toBeUndefined();
        expect(outputs.users[specialSigKey]).toBe(specialSecretSig);
        expect(outputs.highRiskEmails).toEqual(secret(highEmails()));
        expect(outputs.users.value).toHaveLength(300);
        expect(outputs.counts).toEqual(expect.objectContaining({ total: 300, accountTotal: 300, high: highEmails().length }));
        expect(outputs.audit).toEqual(expect.objectContaining({ accountId: api.accountId, personalData: "secret" }));
        // Plain JSON: an undefined anywhere would fail the engine's protobuf Struct.
        expect(JSON.parse(JSON.stringify(outputs))).toEqual(outputs);
        expect(JSON.stringify(outputs)).not.toContain(api.credentials.apiToken);
    });

    it("getRiskCounts shares the read and holds no personal data; secretPersonalData: false makes emails plain", async () => {
        await plugin.invoke!("cloudflare-risk:index:getRiskSummary", args());
        const counts = await plugin.invoke!("cloudflare-risk:index:getRiskCounts", args());
        expect(api.requests).toHaveLength(1);
        expect(JSON.stringify(counts.outputs)).not.toContain("@");
        const plain = await plugin.invoke!("cloudflare-risk:index:getRiskSummary", { ...args(), secretPersonalData: false });
        expect(plain.outputs.highRiskEmails).toEqual(highEmails());
    });

    it("a bad argument is an invoke failure naming it, before any request", async () => {
        const { failures } = await plugin.invoke!("cloudflare-risk:index:getRiskSummary", { ...args(), accountId: "0123" });
        expect(failures).toEqual([{ property: "accountId", reason: expect.stringContaining('Invalid argument "accountId"') }]);
        const typo = await plugin.invoke!("cloudflare-risk:index:getRiskSummary", { ...args(), minRisklevel: "high" });
        expect(typo.failures).toEqual([{ property: "minRisklevel", reason: expect.stringContaining("Did you mean minRiskLevel?") }]);
        expect(api.requests).toHaveLength(0);
    });

    it("a RiskGate fails its check with the masked offenders, and a passing one stores its baseline as a secret", async () => {
        const { outputs } = await plugin.invoke!("cloudflare-risk:index:getRiskSummary", args());
        const failing = await plugin.check!(gateUrn, {}, { summary: outputs, rules: { maxHighRiskUsers: 0 } });
        expect(failing.failures).toHaveLength(1);
        expect(failing.failures![0]!.reason).toContain(
            `maxHighRiskUsers: ${highEmails().length} users are at high risk, more than the 0 allowed`,
        );
        expect(failing.failures![0]!.reason).not.toContain(highEmails()[0]);

        const passing = await plugin.check!(gateUrn, {}, { summary: outputs, rules: { maxHighRiskUsers: 10_000 } });
        expect(passing.failures ?? []).toEqual([]);
        expect(passing.inputs.record[specialSigKey]).toBe(specialSecretSig);
        const created = await plugin.create!(gateUrn, passing.inputs);
        expect(created.outs).toEqual(expect.objectContaining({ accountId: api.accountId, hasBaseline: false, violations: [] }));
        // The next deployment, same levels: a baseline, and no change to apply.
        const again = await plugin.check!(gateUrn, passing.inputs, { summary: outputs, rules: { maxHighRiskUsers: 10_000 } });
        expect((revealSecrets(again.inputs).value as { record: { trend: unknown } }).record.trend).toEqual({
            escalated: [],
            deescalated: [],
            appeared: [],
            left: [],
        });
        expect((await plugin.diff!(api.accountId, gateUrn, created.outs, passing.inputs)).changes).toBe(false);
    });

    it("a gate's bad rule is a check failure naming it", async () => {
        const { outputs } = await plugin.invoke!("cloudflare-risk:index:getRiskSummary", args());
        const result = await plugin.check!(gateUrn, {}, { summary: outputs, rules: { maxHighRiskUser: 1 } });
        expect(result.failures).toEqual([{ property: "rules.maxHighRiskUser", reason: expect.stringContaining("not a gate rule") }]);
    });

    it("the schema's function arguments are the TypeScript function's, and it names what the plugin serves", () => {
        const schema = pluginSchema() as {
            functions: Record<string, { inputs: { properties: Record<string, unknown> } }>;
            resources: Record<string, unknown>;
        };
        expect(Object.keys(schema.functions).sort()).toEqual([
            "cloudflare-risk:index:getRiskCounts",
            "cloudflare-risk:index:getRiskSummary",
        ]);
        for (const fn of Object.values(schema.functions))
            expect(Object.keys(fn.inputs.properties).sort()).toEqual([...riskSummaryArgNames].sort());
        expect(Object.keys(schema.resources).sort()).toEqual(["cloudflare-risk:index:RiskGate", "cloudflare-risk:index:RiskTrend"]);
    });
});
