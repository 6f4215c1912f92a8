import { promises as fs } from "node:fs";
import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../local-api";
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

/** `pulumi preview --policy-pack` with this config; the output, and whether the CLI failed. */
async function previewWithPack(config: Record<string, unknown>): Promise<{ failed: boolean; output: string }> {
    const configFile = path.join(scratch, "policy-config.json");
    await fs.writeFile(configFile, JSON.stringify(config));
    try {
        const { stdout, stderr } = await local.cli(["preview", "--policy-pack", packDir, "--policy-pack-config", configFile]);
        return { failed: false, output: stdout + stderr };
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        return { failed: true, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

const protectedPolicy = "cloudflare-protected-users-not-at-high-risk";

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
});
