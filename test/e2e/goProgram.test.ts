import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumiCli, pulumiEnv } from "../../dev/pulumi-cli/pulumiCli";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { secretSignature, secretSignatureKey } from "../../sdk/report/secretEnvelope";
import { withDecompressedBlobs } from "../support/compressedBlobs";
import { countsOf, highRiskEmailsOf } from "../support/expectedRisk";
import { buildGoProgram } from "../support/goProgram";
import { repoRoot } from "../support/localStack";

/**
 * The cloudflare-risk provider plugin from a Go program: test/e2e/fixtures/go-program runs an
 * inline program through the Go Automation API (no Go language host), which invokes
 * getRiskSummary with the token as a secret and getRiskCounts, previews and updates a stack on a
 * file:// backend, and prints the stack's outputs as one JSON line.
 */

// A first build downloads the Go SDK's modules and compiles them: minutes on a busy machine.
jest.setTimeout(30 * 60 * 1000);

const programDir = path.join(__dirname, "fixtures", "go-program");
const pluginDir = path.join(repoRoot, "bin");
const getRiskSummary = "cloudflare-risk:index:getRiskSummary";
const getRiskCounts = "cloudflare-risk:index:getRiskCounts";

interface Output<T = unknown> {
    value: T;
    secret: boolean;
}

interface GoProgramReport {
    stack: string;
    preview: { durationMs: number; changeSummary: Record<string, number> };
    up: { durationMs: number; changeSummary: Record<string, number>; result: string };
    outputs: { counts: Output; countsFetchedAt: Output<string>; summaryCounts: Output; highRiskEmails: Output<string[]> };
    invokes: Record<string, { resultSecret: boolean }>;
}

let api: LocalCloudflareApi;
let executable: string;
let binDir: string;
let backendDir: string;

/** Runs the Go program against the embedded API and the stack in `backendDir`; its JSON line. */
async function runGoProgram(): Promise<GoProgramReport> {
    const env = {
        ...process.env,
        // A developer's own Cloudflare settings must not reach the plugin: the token is an argument.
        CLOUDFLARE_API_TOKEN: "",
        CLOUDFLARE_API_KEY: "",
        CLOUDFLARE_EMAIL: "",
        CLOUDFLARE_BASE_URL: "",
        // The Automation API runs `pulumi`; the plugin is a Node.js script, so `node` goes on PATH too.
        ...pulumiEnv({ binDir, nodeBinDir: path.dirname(process.execPath), backendDir }),
        RISK_BASE_URL: api.baseUrl,
        RISK_ACCOUNT_ID: api.accountId,
        RISK_API_TOKEN: api.credentials.apiToken,
        RISK_BACKEND_DIR: backendDir,
        RISK_PLUGIN_DIR: pluginDir,
        RISK_STACK: "go-e2e",
    };
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(executable, [], { env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
        child.on("error", reject);
        child.on("close", (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    if (code !== 0) {
        throw new Error(`the Go program exited with ${code}:\n${stderr.slice(-8000)}`);
    }
    const line = stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as GoProgramReport;
}

/** Every file the backend holds (checkpoint, history, backups), compressed lists opened. */
async function stateText(): Promise<string> {
    const root = path.join(backendDir, ".pulumi");
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    return withDecompressedBlobs((await Promise.all(files.map((f) => fs.readFile(f, "utf8")))).join("\n"));
}

async function checkpoint(): Promise<{ checkpoint: { latest: { resources: { type: string; outputs?: Record<string, unknown> }[] } } }> {
    const stacksDir = path.join(backendDir, ".pulumi", "stacks");
    const entries = await fs.readdir(stacksDir, { recursive: true });
    const file = entries.find((e) => e.endsWith("go-e2e.json"));
    if (file === undefined) throw new Error(`no checkpoint under ${stacksDir}`);
    return JSON.parse(await fs.readFile(path.join(stacksDir, file), "utf8"));
}

beforeAll(async () => {
    if (!existsSync(path.join(pluginDir, "pulumi-resource-cloudflare-risk"))) {
        throw new Error(`${path.join(pluginDir, "pulumi-resource-cloudflare-risk")} is missing; run 'npm run build'`);
    }
    [{ binDir }, { executable }] = await Promise.all([
        ensurePulumiCli(),
        buildGoProgram(programDir, "risk-go-program").then((built) => {
            console.log(`go build of the Go program: ${built.buildMs} ms`);
            return built;
        }),
    ]);
    api = await startLocalCloudflareApi({ size: 300 });
    backendDir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-go-state-"));
});

afterAll(async () => {
    await api?.stop();
    if (backendDir) await fs.rm(backendDir, { recursive: true, force: true });
});

describe("the cloudflare-risk plugin from a Go program (Automation API, inline program)", () => {
    it("previews, then updates: counts plain, the summary's counts and the high-risk emails secret", async () => {
        const report = await runGoProgram();
        const served = api.users();
        expect(report.up.result).toBe("succeeded");
        expect(report.preview.changeSummary).toEqual({ create: 1 });
        expect(report.up.changeSummary).toEqual({ create: 1 });

        const { counts, summaryCounts, highRiskEmails, countsFetchedAt } = report.outputs;
        expect(counts).toEqual({ value: countsOf(served), secret: false });
        expect(countsFetchedAt.secret).toBe(false);
        expect(Number.isNaN(Date.parse(countsFetchedAt.value))).toBe(false);
        expect(summaryCounts).toEqual({ value: countsOf(served), secret: true });
        expect(highRiskEmails.secret).toBe(true);
        expect(highRiskEmails.value).toEqual(highRiskEmailsOf(served));
        expect(highRiskEmails.value.length).toBeGreaterThan(0);

        // What the provider itself returned, before the secret token made the summary secret in the
        // program: the summary holds personal data and comes back secret, the counts do not.
        expect(report.invokes).toEqual({
            [getRiskSummary]: { resultSecret: true },
            [getRiskCounts]: { resultSecret: false },
        });
    });

    it("keeps the token and every email out of the state; the secret outputs are ciphertext", async () => {
        const state = await stateText();
        expect(state).not.toContain(api.credentials.apiToken);
        const leaked = api.users().filter((u) => state.includes(u.email) || state.includes(u.email.toLowerCase()));
        expect(leaked.map((u) => u.email)).toEqual([]);

        const stackResource = (await checkpoint()).checkpoint.latest.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        const outputs = stackResource?.outputs ?? {};
        const ciphertext = { [secretSignatureKey]: secretSignature, ciphertext: expect.any(String) };
        expect(outputs.highRiskEmails).toEqual(ciphertext);
        expect(outputs.summaryCounts).toEqual(ciphertext);
        expect(outputs.counts).toEqual(countsOf(api.users()));
    });

    it("a second run selects the same stack and sees a user who became high risk", async () => {
        const target = api.users().find((u) => u.max_risk_level === "low")!;
        api.setUserLevel(target.email, "high");
        const report = await runGoProgram();
        const served = api.users();
        expect(report.up.result).toBe("succeeded");
        expect(report.outputs.counts).toEqual({ value: countsOf(served), secret: false });
        expect(report.outputs.summaryCounts).toEqual({ value: countsOf(served), secret: true });
        expect(report.outputs.highRiskEmails.value).toContain(target.email.toLowerCase());
        expect(report.outputs.highRiskEmails.value).toEqual(highRiskEmailsOf(served));
        const state = await stateText();
        expect(state).not.toContain(api.credentials.apiToken);
        expect(api.users().filter((u) => state.includes(u.email.toLowerCase()))).toEqual([]);
    });
});
