import { promises as fs } from "node:fs";
import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { makeScratch, removeScratch } from "../support/consumerProject";
import { type LocalStack, createLocalStack, localApiConfig, repoRoot } from "../support/localStack";

jest.setTimeout(15 * 60 * 1000);

// examples/risk-policy-pack, as a team copies it, run by the real CLI against a stack whose program
// knows nothing of it. The pack reads the summary itself, with the credentials from the environment.
const fixture = path.join(__dirname, "fixtures", "policy-target");
let api: LocalCloudflareApi;
let local: LocalStack;
let scratch: string;
let packDir: string;

beforeAll(async () => {
    api = await startLocalCloudflareApi();
    scratch = await makeScratch("risk-policy-pack-");
    packDir = path.join(scratch, "risk-policy-pack");
    await fs.cp(path.join(repoRoot, "examples", "risk-policy-pack"), packDir, { recursive: true });
    // The repository's own installation stands in for `npm install` (it links the package itself).
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(packDir, "node_modules"));
    local = await createLocalStack(fixture, localApiConfig(api), {
        CLOUDFLARE_API_TOKEN: api.credentials.apiToken,
        CLOUDFLARE_BASE_URL: api.baseUrl,
        CLOUDFLARE_ACCOUNT_ID: api.accountId,
    });
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
    await removeScratch(scratch);
});

/** The CLI command with the pack and this config; the output, and whether the CLI failed. */
async function runWithPack(command: readonly string[], config: Record<string, unknown>): Promise<{ failed: boolean; output: string }> {
    const configFile = path.join(scratch, "policy-config.json");
    await fs.writeFile(configFile, JSON.stringify(config));
    try {
        const { stdout, stderr } = await local.cli([...command, "--policy-pack", packDir, "--policy-pack-config", configFile]);
        return { failed: false, output: stdout + stderr };
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        return { failed: true, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

const previewWithPack = (config: Record<string, unknown>) => runWithPack(["preview"], config);
/** Checks the stack's stored state, without running the program. */
const analyzeWithPack = (config: Record<string, unknown>) => runWithPack(["policy", "analyze"], config);

const protectedPolicy = "cloudflare-protected-users-not-at-high-risk";
const personalDataPolicy = "cloudflare-risk-personal-data-secret";

describe("the risk policy pack through the real Pulumi CLI", () => {
    it("fails a preview while a protected user is at high risk, passes once they are not, and only warns when advisory", async () => {
        const admin = api.users().find((u) => u.max_risk_level === "high")!;
        const masked = `${admin.email[0]}***${admin.email.slice(admin.email.lastIndexOf("@"))}`;
        const config = { [protectedPolicy]: { protectedEmails: [admin.email] } };

        const blocked = await previewWithPack(config);
        expect(blocked.failed).toBe(true);
        expect(blocked.output).toContain(protectedPolicy);
        expect(blocked.output).toContain(masked);
        expect(blocked.output).not.toContain(admin.email);
        expect(blocked.output).not.toContain(api.credentials.apiToken);

        const advisory = await previewWithPack({ [protectedPolicy]: { ...config[protectedPolicy], enforcementLevel: "advisory" } });
        expect(advisory.failed).toBe(false);
        expect(advisory.output).toContain(protectedPolicy);
        expect(advisory.output).toContain(masked);

        api.setUserLevel(admin.email, "low");
        try {
            const clean = await previewWithPack(config);
            expect(clean.failed).toBe(false);
            expect(clean.output).not.toContain(masked);
        } finally {
            api.setUserLevel(admin.email, "high");
        }
    });

    // The engine hands CrossGuard the resources a run registers, not those it reads: a preview sees the
    // RiskTrend; `pulumi policy analyze` sees the stored state, RiskSummary reads included.
    it("flags resources that store personal data in plain text, in a preview and in the stored state, unless the config allows it", async () => {
        const secret = await previewWithPack({});
        expect(secret.failed).toBe(false);
        expect(secret.output).not.toContain(personalDataPolicy);

        await local.cli(["config", "set", "plainPersonalData", "true"]);
        try {
            const preview = await previewWithPack({});
            expect(preview.failed).toBe(true);
            expect(preview.output).toContain(personalDataPolicy);
            expect(preview.output).toContain('RiskTrend "trend"');

            await local.cli(["up", "--yes", "--skip-preview"]);
            const analyzed = await analyzeWithPack({});
            expect(analyzed.failed).toBe(true);
            expect(analyzed.output).toContain(personalDataPolicy);
            expect(analyzed.output).toMatch(
                new RegExp(`RiskSummary "risk-summary-${api.accountId}-[0-9a-f]{8}" \\(account ${api.accountId}\\)`),
            );
            expect(analyzed.output).toContain("secretPersonalData: false");
            expect(analyzed.output).toContain('RiskTrend "trend"');

            const advisory = await analyzeWithPack({ [personalDataPolicy]: { enforcementLevel: "advisory" } });
            expect(advisory.failed).toBe(false);
            expect(advisory.output).toContain(personalDataPolicy);

            const allowed = await analyzeWithPack({ [personalDataPolicy]: { allowPlainPersonalData: true } });
            expect(allowed.failed).toBe(false);
            expect(allowed.output).not.toContain(personalDataPolicy);
        } finally {
            await local.cli(["config", "rm", "plainPersonalData"]);
        }

        await local.cli(["up", "--yes", "--skip-preview"]);
        const restored = await analyzeWithPack({});
        expect(restored.failed).toBe(false);
        expect(restored.output).not.toContain(personalDataPolicy);
    });
});
