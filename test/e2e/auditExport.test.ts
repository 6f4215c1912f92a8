import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import type { WireRiskUser } from "../../provider/client/schema";
import type { RiskLevel } from "../../provider/model/riskLevel";
import { decodeStoredRiskUsers, encodeStoredRiskUsers } from "../../provider/storage/storedRiskUsers";
import { type LocalStack, createLocalStack, localApiConfig, repoRoot } from "../support/localStack";

jest.setTimeout(20 * 60 * 1000);

const runFile = promisify(execFile);
const example = path.join(repoRoot, "examples", "audit-export");
let api: LocalCloudflareApi;
let local: LocalStack;
let workDir: string;

const change = (u: WireRiskUser, from: RiskLevel | null, to: RiskLevel | null) => ({ userId: u.user_id, email: u.email, from, to });
const byUserId = (a: { userId: string }, b: { userId: string }) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 400, seed: 12 });
    local = await createLocalStack(example, localApiConfig(api));
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-audit-"));
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
    await fs.rm(workDir, { recursive: true, force: true });
});

describe("trends and audits through the real Pulumi engine (examples/audit-export)", () => {
    let moves: {
        escalated: ReturnType<typeof change>[];
        deescalated: ReturnType<typeof change>[];
        appeared: ReturnType<typeof change>[];
        left: ReturnType<typeof change>[];
    };

    it("the first up reports no trend, and an audit record with no personal data", async () => {
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.changeCounts?.value).toBeUndefined();
        expect(up.outputs.since?.value).toBeUndefined();
        expect(up.outputs.escalated!.value).toEqual([]);
        const audit = up.outputs.audit!;
        expect(audit.secret).toBe(false);
        expect(audit.value).toMatchObject({
            accountId: api.accountId,
            endpoint: `${api.baseUrl}/accounts/${api.accountId}/zt_risk_scoring/summary`,
            packageName: "pulumi-cloudflare-risk",
            filters: {},
        });
        expect(audit.value.usersSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(audit.value.counts.total).toBe(400);
        const auditText = JSON.stringify(audit.value).toLowerCase();
        expect(api.users().filter((u) => auditText.includes(u.email.toLowerCase()) || auditText.includes(u.name.toLowerCase()))).toEqual(
            [],
        );
        await local.cli(["stack", "export", "--show-secrets", "--file", path.join(workDir, "first.json")]);
    });

    it("the next up reports who escalated, de-escalated, appeared and left, without an extra API call", async () => {
        const users = api.users();
        const low = users.filter((u) => u.max_risk_level === "low");
        const high = users.filter((u) => u.max_risk_level === "high");
        const [rising, falling, leaving] = [low[0]!, high[0]!, low[1]!];
        api.setUserLevel(rising.user_id, "high");
        api.setUserLevel(falling.user_id, "medium");
        api.removeUser(leaving.user_id);
        const newcomer: WireRiskUser = {
            ...leaving,
            user_id: "11111111-2222-4333-8444-555555555555",
            email: "new.joiner@example.com",
            name: "New Joiner",
            max_risk_level: "medium",
        };
        api.addUser(newcomer);
        moves = {
            escalated: [change(rising, "low", "high")],
            deescalated: [change(falling, "high", "medium")],
            appeared: [change(newcomer, null, "medium")],
            left: [change(leaving, "low", null)],
        };

        api.resetRequestLog();
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        // One read of the account for the update, the same as without a trend.
        expect(api.requests.length).toBe(Math.ceil(api.users().length / 1000));
        expect(up.outputs.changeCounts!.value).toEqual({ escalated: 1, deescalated: 1, appeared: 1, left: 1 });
        for (const list of ["escalated", "deescalated", "appeared", "left"] as const) {
            expect(up.outputs[list]!.secret).toBe(true);
            expect(up.outputs[list]!.value).toEqual(moves[list].sort(byUserId));
        }
        expect(Date.parse(up.outputs.since!.value)).toBeLessThan(Date.parse(up.outputs.audit!.value.fetchedAt));
        await local.cli(["stack", "export", "--show-secrets", "--file", path.join(workDir, "second.json")]);
        await local.cli(["stack", "export", "--file", path.join(workDir, "encrypted.json")]);
    });

    const report = (files: string[], outDir: string) =>
        runFile(process.execPath, [
            path.join(repoRoot, "dist", "sdk", "cli", "main.js"),
            "report",
            ...files.map((f) => path.join(workDir, f)),
            "--out-dir",
            path.join(workDir, outDir),
        ]);

    it("the report command reads the exports and writes Markdown and HTML with the trend and verified digests", async () => {
        const { stdout } = await report(["second.json", "first.json"], "report");
        const markdownFile = path.join(workDir, "report", "risk-report.md");
        expect(stdout).toContain(markdownFile);
        const markdown = await fs.readFile(markdownFile, "utf8");
        const html = await fs.readFile(path.join(workDir, "report", "risk-report.html"), "utf8");
        // Ordered by read time whatever the order of the arguments.
        expect(markdown.indexOf("first.json")).toBeLessThan(markdown.indexOf("second.json"));
        expect(markdown.match(/Digest: verified/g)).toHaveLength(2);
        for (const [label, list] of [
            ["Escalated", "escalated"],
            ["De-escalated", "deescalated"],
            ["Appeared", "appeared"],
            ["Left", "left"],
        ] as const) {
            expect(markdown).toContain(`| ${label} | 1 |`);
            const [moved] = moves[list];
            expect(markdown).toContain(`| ${moved!.userId} | ${moved!.email[0]}\\*\\*\\*@`);
        }
        expect(html).toMatch(/<svg[^>]*>[\s\S]*<rect/);
        // Self-contained: no scripts, stylesheets or fetches; the only URLs are the SVG namespace and the endpoint.
        expect(html).not.toMatch(/<script|<link|<img|url\(/);
        expect(html.match(/https?:\/\/[^"'<\s]*/g)!.filter((u) => u !== "http://www.w3.org/2000/svg" && !u.startsWith(api.origin))).toEqual(
            [],
        );
        // Masked by default: no email of the account in either file.
        const served = [...api.users().map((u) => u.email), moves.left[0]!.email];
        expect(served.filter((e) => markdown.includes(e) || html.includes(e))).toEqual([]);
    });

    it("says when the digest cannot be checked, and fails on a tampered export", async () => {
        await report(["encrypted.json"], "encrypted");
        expect(await fs.readFile(path.join(workDir, "encrypted", "risk-report.md"), "utf8")).toMatch(/not checked: users are encrypted/);

        const exported = JSON.parse(await fs.readFile(path.join(workDir, "second.json"), "utf8"));
        const summary = exported.deployment.resources.find((r: { type: string }) => r.type.endsWith(":RiskSummary"));
        // `--show-secrets` writes a secret as its plaintext JSON inside the secret envelope.
        const users = decodeStoredRiskUsers(JSON.parse(summary.outputs.users.plaintext) as string).map((u) => ({ ...u }));
        users.find((u) => u.maxRiskLevel === "high")!.maxRiskLevel = "low";
        summary.outputs.users.plaintext = JSON.stringify(encodeStoredRiskUsers(users));
        await fs.writeFile(path.join(workDir, "tampered.json"), JSON.stringify(exported));
        const failure = await report(["tampered.json"], "tampered").then(
            () => undefined,
            (error: { code: number }) => error,
        );
        expect(failure?.code).toBe(1);
        expect(await fs.readFile(path.join(workDir, "tampered", "risk-report.md"), "utf8")).toContain("MISMATCH");
    });
});
