import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { generateRiskDataset, withRiskLevel } from "../../../../dev/local-api/riskDataset";
import { mainUsage } from "../../../../sdk/cli/main";
import { reportUsage } from "../../../../sdk/cli/reportCommand";
import { runCli } from "../../../support/reportCliRun";
import { reportSummaryOf, reportTempDir, stackExportOf, writeStackExports } from "../../../support/reportStackExports";

const users = generateRiskDataset({ size: 50, seed: 21 });
const firstLow = users.findIndex((u) => u.max_risk_level === "low");
const day1 = reportSummaryOf({ users, fetchedAt: new Date("2025-01-30T00:00:00Z") });
const day2 = reportSummaryOf({
    users: users.map((u, i) => (i === firstLow ? withRiskLevel(u, "high") : u)),
    fetchedAt: new Date("2025-01-31T00:00:00Z"),
});
const highEmail = day2.users.find((u) => u.maxRiskLevel === "high")!.email;

let dir: string;
let day1File: string;
let day2File: string;
let tamperedFile: string;

beforeAll(async () => {
    dir = await reportTempDir();
    const tampered = day2.users.map((u, i) => (i === 0 ? { ...u, name: `${u.name} Jr.` } : u));
    [day1File, day2File, tamperedFile] = (await writeStackExports(dir, {
        "day1.json": stackExportOf([{ summary: day1 }]),
        "day2.json": stackExportOf([{ summary: day2 }]),
        "tampered.json": stackExportOf([{ summary: day2, storedUsers: tampered }]),
        "notes.txt": "not json",
        "outputs.json": { highRiskEmails: [] },
        "empty-stack.json": stackExportOf([]),
    })) as [string, string, string];
});

afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
});

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("the command line", () => {
    it("prints its usage for --help and for help <command>", async () => {
        expect(await runCli(["--help"])).toEqual({ status: 0, stdout: mainUsage, stderr: "" });
        expect(mainUsage).toContain("report <stack-export.json>...");
        expect(await runCli(["help", "report"])).toEqual({ status: 0, stdout: reportUsage, stderr: "" });
        expect(await runCli(["report", "--help"])).toEqual({ status: 0, stdout: reportUsage, stderr: "" });
        expect(reportUsage).toMatch(/--out-dir <dir>[\s\S]*--name <basename>[\s\S]*--reveal-emails/);
    });

    it("prints its version", async () => {
        const run = await runCli(["--version"]);
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("exits 2 with a clear message on no command and on an unknown one", async () => {
        const none = await runCli([]);
        expect(none.status).toBe(2);
        expect(none.stderr).toContain('error: no command given\nRun "pulumi-cloudflare-risk --help" for usage.');
        const unknown = await runCli(["rport", "a.json"]);
        expect(unknown).toEqual({
            status: 2,
            stdout: "",
            stderr: 'error: unknown command "rport" (commands: report)\nRun "pulumi-cloudflare-risk --help" for usage.',
        });
        expect((await runCli(["toString"])).status).toBe(2);
    });
});

describe("report: argument errors", () => {
    it("needs at least one export file", async () => {
        const run = await runCli(["report", "--out-dir", dir]);
        expect(run.status).toBe(2);
        expect(run.stderr).toContain(
            "report needs at least one stack export file (from `pulumi stack export --show-secrets --file <file>`)",
        );
        expect(run.stderr).toContain('Run "pulumi-cloudflare-risk report --help" for usage.');
    });

    it("rejects unknown options and options without their value", async () => {
        const unknown = await runCli(["report", day1File, "--reveal"]);
        expect(unknown.status).toBe(2);
        expect(unknown.stderr).toContain("'--reveal'");
        const missing = await runCli(["report", day1File, "--out-dir"]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toContain("--out-dir");
        const valued = await runCli(["report", day1File, "--reveal-emails=yes"]);
        expect(valued.status).toBe(2);
    });

    it("rejects a --name that is a path and an empty --out-dir", async () => {
        const name = await runCli(["report", day1File, "--name", "../escape"]);
        expect(name.status).toBe(2);
        expect(name.stderr).toBe(
            'error: Invalid --name: "../escape" is not a file name. Give a base name such as risk-report, and the folder with --out-dir.',
        );
        expect((await runCli(["report", day1File, "--out-dir", ""])).stderr).toContain("--out-dir must not be empty");
    });

    it("names every unusable file, why, and the fix, without a stack trace, and writes nothing", async () => {
        const out = path.join(dir, "not-written");
        const missing = path.join(dir, "missing.json");
        const run = await runCli([
            "report",
            day1File,
            missing,
            path.join(dir, "notes.txt"),
            path.join(dir, "outputs.json"),
            path.join(dir, "empty-stack.json"),
            "--out-dir",
            out,
        ]);
        expect(run.status).toBe(2);
        expect(run.stdout).toBe("");
        const lines = run.stderr.split("\n");
        expect(lines).toHaveLength(4);
        expect(lines[0]).toBe(
            `error: ${missing}: file not found. Check the path. Create it with \`pulumi stack export --show-secrets --file <file>\` in the stack's project folder.`,
        );
        expect(lines[1]).toMatch(/^error: .*notes\.txt: not JSON \(.*\)\. The report reads the JSON that `pulumi stack export` writes\./);
        expect(lines[2]).toMatch(
            /^error: .*outputs\.json: not a usable Pulumi stack export: version: .*; deployment: .*pulumi stack export --show-secrets/,
        );
        expect(lines[3]).toMatch(
            /^error: .*empty-stack\.json: no resource of type pulumi-nodejs:dynamic\/cloudflare-risk:RiskSummary among its 2 resources\. Export a stack whose program calls getRiskSummary/,
        );
        noStackTrace(run.stderr);
        await expect(stat(out)).rejects.toThrow(/ENOENT/);
    });

    it("reports a folder it cannot write to", async () => {
        const blocker = path.join(dir, "a-file");
        await writeFile(blocker, "");
        const run = await runCli(["report", day1File, "--out-dir", path.join(blocker, "sub")]);
        expect(run.status).toBe(2);
        expect(run.stderr).toMatch(/^error: Cannot write .*a-file\/sub: ENOTDIR\. Choose a writable folder with --out-dir\.$/);
        noStackTrace(run.stderr);
    });
});

describe("report: writing", () => {
    it("writes risk-report.md and risk-report.html into --out-dir (created), prints their paths, exits 0", async () => {
        const out = path.join(dir, "out", "nested");
        const run = await runCli(["report", day2File, day1File, "--out-dir", out]);
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        const md = path.join(out, "risk-report.md");
        const html = path.join(out, "risk-report.html");
        expect(run.stdout.split("\n")).toEqual([
            `Wrote ${md}`,
            `Wrote ${html}`,
            "Digest check: 2 verified, 0 MISMATCH, 0 not checked (users encrypted), 0 without audit output.",
        ]);
        const markdown = await readFile(md, "utf8");
        // Ordered by fetchedAt, not by the command line.
        expect(markdown.indexOf(`## Export 1: ${day1File.replace(/[_\\]/g, "\\$&")}`)).toBeGreaterThan(0);
        expect(markdown).toContain("#### Escalated (1)");
        expect(markdown).not.toContain(highEmail);
        const page = await readFile(html, "utf8");
        expect(page).toContain("<title>Cloudflare Zero Trust risk report</title>");
        expect(page).not.toContain(highEmail);
    });

    it("uses --name and shows emails with --reveal-emails", async () => {
        const out = path.join(dir, "named");
        await mkdir(out);
        const run = await runCli(["report", "--name", "weekly", "--reveal-emails", day1File, "--out-dir", out]);
        expect(run.status).toBe(0);
        expect(await readFile(path.join(out, "weekly.html"), "utf8")).toContain(highEmail);
        expect(await readFile(path.join(out, "weekly.md"), "utf8")).toContain(highEmail);
    });

    it("still writes the report on a digest mismatch, then exits 1 naming the file and resource", async () => {
        const out = path.join(dir, "mismatch");
        const run = await runCli(["report", day1File, tamperedFile, "--out-dir", out]);
        expect(run.status).toBe(1);
        expect(run.stdout).toContain("Digest check: 1 verified, 1 MISMATCH");
        expect(run.stderr).toBe(
            `error: ${tamperedFile}: digest MISMATCH for risk-summary-${day2.accountId}: the users in the export are not the ones the deployment read (see the report).`,
        );
        expect(await readFile(path.join(out, "risk-report.html"), "utf8")).toContain(
            `<span class="status status-mismatch">MISMATCH</span>`,
        );
        expect(await readFile(path.join(out, "risk-report.md"), "utf8")).toContain("**MISMATCH**");
    });
});

describe("report: failures that are not the user's", () => {
    afterEach(() => jest.restoreAllMocks());

    it("exits 1 with the message of an unexpected error while reading", async () => {
        const reader = await import("../../../../sdk/report/readStackExport");
        jest.spyOn(reader, "readStackExportFile").mockRejectedValue(new Error("disk on fire"));
        const run = await runCli(["report", day1File, "--out-dir", path.join(dir, "never")]);
        expect(run).toEqual({ status: 1, stdout: "", stderr: "error: unexpected failure: disk on fire" });
    });

    it("exits 1 with the message of an unexpected error while building", async () => {
        const builder = await import("../../../../sdk/report/buildRiskReport");
        jest.spyOn(builder, "buildRiskReport").mockImplementation(() => {
            throw "not an Error";
        });
        const run = await runCli(["report", day1File, "--out-dir", path.join(dir, "never")]);
        expect(run).toEqual({ status: 1, stdout: "", stderr: "error: unexpected failure: not an Error" });
    });
});
