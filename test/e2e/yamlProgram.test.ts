import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { ensurePulumiCli, pulumiPath } from "../../dev/pulumi-cli/pulumiCli";
import { ensureYamlLanguageHost } from "../../dev/pulumi-cli/yamlLanguageHost";
import { maskEmail } from "../../provider/summary/maskEmail";
import { withDecompressedBlobs } from "../support/compressedBlobs";
import { countsOf, highRiskEmailsOf } from "../support/expectedRisk";
import { type LocalStack, createLocalStack, repoRoot } from "../support/localStack";
import { rejection } from "../support/rejection";

jest.setTimeout(20 * 60 * 1000);

// A Pulumi YAML program using the provider plugin: no Node.js program, only the plugin
// (bin/pulumi-resource-cloudflare-risk), run by the real CLI and the YAML language host.
const fixture = path.join(__dirname, "fixtures", "yaml-program");
const pluginDir = path.join(repoRoot, "bin");
const pluginName = "pulumi-resource-cloudflare-risk";
/** Pulumi's marker of a secret in `pulumi stack export --show-secrets`. */
const secretSig = "4dabf18193072939515e22adb298388d";

let api: LocalCloudflareApi;
let local: LocalStack;
let projectDir: string | undefined;
/** Everything the CLI printed, successes and failures, to be searched for credentials at the end. */
const printed: string[] = [];

const highEmails = () => highRiskEmailsOf(api.users());

/** The credentials and every email of the account that `text` holds in plain text (compressed lists opened). */
function leaks(text: string): string[] {
    const revealed = withDecompressedBlobs(text);
    const lower = revealed.toLowerCase();
    const found: string[] = [];
    if (revealed.includes(api.credentials.apiToken)) found.push("the API token");
    if (revealed.includes(api.credentials.apiKey)) found.push("the Global API key");
    found.push(...api.users().flatMap((u) => (lower.includes(u.email.toLowerCase()) ? [maskEmail(u.email)] : [])));
    return found;
}

async function ran<T extends { stdout: string; stderr: string }>(operation: Promise<T>): Promise<T> {
    const result = await operation;
    printed.push(result.stdout, result.stderr);
    return result;
}

async function failed(operation: Promise<unknown>): Promise<string> {
    const { message } = await rejection(operation);
    printed.push(message);
    return message;
}

/**
 * A copy of the fixture in the OS temporary folder, its plugin path made absolute: no stack file
 * is written into the clone, and the fixture itself keeps a path relative to its own folder.
 */
async function projectCopy(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-yaml-"));
    await fs.cp(fixture, dir, { recursive: true });
    const file = path.join(dir, "Pulumi.yaml");
    const text = await fs.readFile(file, "utf8");
    const paths = [...text.matchAll(/^(\s*path:\s*)(\S+)\s*$/gm)];
    expect(paths.map((m) => path.resolve(fixture, m[2]!))).toEqual([pluginDir]);
    await fs.writeFile(file, text.replace(paths[0]![0], `${paths[0]![1]}${JSON.stringify(pluginDir)}`));
    return dir;
}

beforeAll(async () => {
    await fs.access(path.join(pluginDir, pluginName), fs.constants.X_OK).catch(() => {
        throw new Error(`${path.join("bin", pluginName)} is missing: run 'npm run build' first`);
    });
    const [cli, yaml] = await Promise.all([ensurePulumiCli(), ensureYamlLanguageHost()]);
    api = await startLocalCloudflareApi({ size: 300, seed: 13 });
    projectDir = await projectCopy();
    local = await createLocalStack(
        projectDir,
        {
            accountId: { value: api.accountId },
            apiToken: { value: api.credentials.apiToken, secret: true },
            baseUrl: { value: api.baseUrl },
            maxHighRiskUsers: { value: String(highEmails().length) },
        },
        {
            // The engine runs `runtime: yaml` with the pulumi-language-yaml it finds on PATH.
            PATH: pulumiPath({ binDir: cli.binDir, extraBinDirs: [yaml.binDir] }),
            // For getRiskCounts, which the program gives no credentials.
            CLOUDFLARE_API_KEY: api.credentials.apiKey,
            CLOUDFLARE_EMAIL: api.credentials.email,
        },
    );
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
    if (projectDir) await fs.rm(projectDir, { recursive: true, force: true });
});

describe("the cloudflare-risk plugin from a Pulumi YAML program, through the real CLI", () => {
    it("previews: getRiskSummary reads with the secret token argument, getRiskCounts with the environment's key", async () => {
        expect(highEmails().length).toBeGreaterThan(3);
        api.resetRequestLog();
        const preview = await ran(local.stack.preview());
        expect(preview.changeSummary).toEqual({ create: 2 });
        expect(api.requests.length).toBeGreaterThan(0);
        expect(api.requests.every((r) => r.status === 200)).toBe(true);
        expect([...new Set(api.requests.map((r) => r.authScheme))].sort()).toEqual(["key", "token"]);
    });

    it("up exports plain counts, the high-risk emails as a secret, and the gate's hasBaseline", async () => {
        const up = await ran(local.stack.up());
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toEqual({ create: 2 });
        expect(up.outputs.counts).toEqual({ value: countsOf(api.users()), secret: false });
        expect(up.outputs.highRiskEmails!.secret).toBe(true);
        expect(up.outputs.highRiskEmails!.value).toEqual(highEmails());
        // The first deployment has no earlier one to compare with.
        expect(up.outputs.hasBaseline!.value).toBe(false);
    });

    it("the second up records the gate's first baseline, as RiskGate does in TypeScript; from then on, the same account changes nothing", async () => {
        const second = await ran(local.stack.up());
        expect(second.summary.resourceChanges).toEqual({ same: 1, update: 1 });
        expect(second.outputs.hasBaseline!.value).toBe(true);
        await ran(local.stack.preview({ expectNoChanges: true }));
        const up = await ran(local.stack.up({ expectNoChanges: true }));
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toEqual({ same: 2 });
        expect(up.outputs.counts).toEqual({ value: countsOf(api.users()), secret: false });
    });

    it("keeps the emails out of the checkpoint, and the high-risk ones under a secret in the deployment", async () => {
        expect(leaks(await local.checkpoint())).toEqual([]);
        const deployment = (await local.deployment()) as { resources: { type: string; outputs?: Record<string, unknown> }[] };
        const stack = deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
        const exported = stack.outputs!.highRiskEmails as Record<string, string>;
        expect(exported[secretSig]).toBeDefined();
        expect(JSON.parse(exported.plaintext!)).toEqual(highEmails());
    });

    it("a broken gate rule fails preview and up with the offenders masked, and leaves the state as it was", async () => {
        const before = await local.deployment();
        const high = highEmails();
        await local.stack.setConfig("maxHighRiskUsers", { value: "0" });
        for (const operation of [() => local.stack.preview(), () => local.stack.up()]) {
            const message = await failed(operation());
            expect(message).toContain(`maxHighRiskUsers: ${high.length} users are at high risk, more than the 0 allowed`);
            expect(high.some((email) => message.includes(maskEmail(email)))).toBe(true);
            expect(leaks(message)).toEqual([]);
        }
        expect(await local.deployment()).toEqual(before);
        await local.stack.setConfig("maxHighRiskUsers", { value: String(high.length) });
    });

    it("a 31-character accountId fails the preview, naming the invoke and the argument, before any request", async () => {
        await local.stack.setConfig("accountId", { value: api.accountId.slice(0, 31) });
        api.resetRequestLog();
        const message = await failed(local.stack.preview());
        expect(message).toContain("cloudflare-risk:index:getRiskSummary invoke failed");
        expect(message).toContain("accountId");
        expect(leaks(message)).toEqual([]);
        expect(api.requests).toHaveLength(0);
        await local.stack.setConfig("accountId", { value: api.accountId });
    });

    it("destroy removes the gate and leaves no credential or email in any state file", async () => {
        const destroy = await ran(local.stack.destroy());
        expect(destroy.summary.result).toBe("succeeded");
        expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
        const deployment = (await local.deployment()) as { resources?: unknown[] };
        expect(deployment.resources ?? []).toEqual([]);
        expect(leaks(await local.allStateText())).toEqual([]);
    });

    it("printed no credential and no email in any run", () => {
        expect(printed.length).toBeGreaterThan(0);
        expect(leaks(printed.join("\n"))).toEqual([]);
    });
});
