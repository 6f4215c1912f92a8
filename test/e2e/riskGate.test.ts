import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { maskEmail } from "../../provider/summary/maskEmail";
import { withDecompressedBlobs } from "../support/compressedBlobs";
import { type LocalStack, createLocalStack, localApiConfig, repoRoot } from "../support/localStack";
import { rejection } from "../support/rejection";
import { highRiskEmailsOf } from "../support/expectedRisk";

jest.setTimeout(20 * 60 * 1000);

// The example itself, as a user would run it.
const example = path.join(repoRoot, "examples", "deploy-gate");
let api: LocalCloudflareApi;
let local: LocalStack;

const highEmails = () => highRiskEmailsOf(api.users());

async function setGate(values: Record<string, string>) {
    for (const [key, value] of Object.entries(values)) await local.stack.setConfig(key, { value });
}

/** No email of the account may appear in plain text in what the engine printed. */
function expectNoPlainEmails(printed: string) {
    const text = withDecompressedBlobs(printed);
    const leaked = api.users().filter((u) => text.toLowerCase().includes(u.email.toLowerCase()));
    expect(leaked.map((u) => maskEmail(u.email))).toEqual([]);
}

/**
 * The deployment less the summary reads: a read is persisted as soon as it completes, so after a
 * failed gate the data source holds the fresh read, while the gate's baseline must not move.
 */
async function withoutReads() {
    const deployment = (await local.deployment()) as { resources: { type: string }[] };
    const resources = deployment.resources.filter((r) => !r.type.endsWith(":RiskSummary"));
    expect(resources.some((r) => r.type.endsWith(":RiskGate"))).toBe(true);
    return { ...deployment, resources };
}

beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 300, seed: 7 });
    local = await createLocalStack(example, localApiConfig(api));
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

describe("RiskGate through the real Pulumi engine (examples/deploy-gate)", () => {
    it("fails the preview on too many high-risk users, naming the rule and the masked offenders", async () => {
        const high = highEmails();
        expect(high.length).toBeGreaterThan(3);
        await setGate({ maxHighRiskUsers: String(high.length - 1) });
        const error = await rejection(local.stack.preview());
        expect(error.message).toContain('Risk gate "production-gate" blocked this deployment');
        expect(error.message).toContain(
            `maxHighRiskUsers: ${high.length} users are at high risk, more than the ${high.length - 1} allowed`,
        );
        expect(error.message).toContain(maskEmail(high[0]!));
        expect(error.message).toContain('set mode: "warn"');
        expectNoPlainEmails(error.message);
    });

    it("passes the preview once the dataset no longer breaks the rule, and up records the first baseline", async () => {
        const high = highEmails();
        // The server now serves one high-risk user fewer: the same rule is met.
        api.setUserLevel(high[0]!, "medium");
        const preview = await local.stack.preview();
        expect(preview.changeSummary).toMatchObject({ create: 2 });
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.changeCounts?.value).toBeUndefined();
        expect(up.outputs.gateViolations).toEqual({ value: [], secret: false });
        expect(up.outputs.counts!.value.high).toBe(high.length - 1);
    });

    it("fails preview and up when a user rose to high since the last deployment, leaving the baseline and all else as it was", async () => {
        const before = await withoutReads();
        // One user rises to high while another leaves it: the count rule still holds, the escalation rule does not.
        const riser = api.users().find((u) => u.max_risk_level === "medium")!;
        api.setUserLevel(riser.user_id, "high");
        api.setUserLevel(api.users().find((u) => u.max_risk_level === "high" && u.user_id !== riser.user_id)!.user_id, "low");
        const previewError = await rejection(local.stack.preview());
        expect(previewError.message).toContain(
            `failOnEscalationToHigh: 1 users rose to high risk since the last deployment: ${maskEmail(riser.email.toLowerCase())} (medium → high)`,
        );
        expect(previewError.message).not.toContain("maxHighRiskUsers:");
        expectNoPlainEmails(previewError.message);
        const upError = await rejection(local.stack.up());
        expect(upError.message).toContain("failOnEscalationToHigh");
        expect(await withoutReads()).toEqual(before);
    });

    it("shows offenders' emails only when the program opts in", async () => {
        // The example has no revealEmails switch: a gate rule on a protected domain shows masking holds.
        const riser = api.users().find((u) => u.max_risk_level === "high")!;
        const domain = riser.email.slice(riser.email.indexOf("@") + 1);
        await local.stack.setConfig("protectedDomains", { value: JSON.stringify([domain]) });
        const error = await rejection(local.stack.preview());
        expect(error.message).toContain(`protectedDomains: `);
        expect(error.message).toContain(`users of ${domain.toLowerCase()} are at high risk`);
        expectNoPlainEmails(error.message);
        await local.stack.removeConfig("protectedDomains");
    });

    it('in "warn" mode reports the same findings as a warning, deploys, and moves the baseline', async () => {
        await setGate({ gateMode: "warn" });
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.stdout).toContain('Risk gate "production-gate" (warn mode) found 1 broken rule');
        expect(up.stdout).toContain("failOnEscalationToHigh: 1 users rose to high risk");
        expectNoPlainEmails(up.stdout);
        expect(up.outputs.gateViolations!.value.map((v: { rule: string }) => v.rule)).toEqual(["failOnEscalationToHigh"]);
        expect(up.outputs.changeCounts!.value).toEqual({ escalated: 1, deescalated: 1, appeared: 0, left: 0 });
        expect(up.outputs.escalated!.secret).toBe(true);
        expect(up.outputs.escalated!.value).toHaveLength(1);
        expect(up.outputs.escalated!.value[0]).toMatchObject({ from: "medium", to: "high" });
        // Back to enforce: the escalation was deployed, so it is no longer news.
        await setGate({ gateMode: "enforce" });
        const preview = await local.stack.preview();
        expect(preview.changeSummary?.update ?? 0).toBe(1);
    });

    it("keeps emails out of the state in plain text", async () => {
        const state = await local.allStateText();
        expectNoPlainEmails(state);
    });
});
