import { rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";
import * as provider from "../../../../provider/dynamic/riskSummary";
import { encodeStoredRiskUsers } from "../../../../provider/storage/storedRiskUsers";
import { buildRiskReport } from "../../../../sdk/report/buildRiskReport";
import { buildRiskSummaryAudit } from "../../../../provider/summary/audit";
import { parseStackExport, readStackExportFile } from "../../../../sdk/report/readStackExport";
import { NoRiskSummaryError, StackExportFileError, StackExportFormatError, StackExportJsonError } from "../../../../sdk/report/errors";
import { accountId, apiToken, mockCloudflare } from "../../../support/mockCloudflare";
import { rejection } from "../../../support/rejection";
import {
    encrypted,
    plaintextSecret,
    reportEndpoint,
    reportSummaryOf,
    reportTempDir,
    riskSummaryType,
    stackExportOf,
} from "../../../support/reportStackExports";

const summary = reportSummaryOf({ size: 30, seed: 11 });
const text = (doc: unknown) => JSON.stringify(doc);

/** The export's resources, for tests that alter one field of the RiskSummary. */
function withOutputs(change: (outputs: Record<string, unknown>) => void): string {
    const doc = stackExportOf([{ summary }]) as { deployment: { resources: { type: string; outputs: Record<string, unknown> }[] } };
    change(doc.deployment.resources.find((r) => r.type === riskSummaryType)!.outputs);
    return text(doc);
}

function formatError(fn: () => unknown): StackExportFormatError {
    try {
        fn();
    } catch (error) {
        expect(error).toBeInstanceOf(StackExportFormatError);
        return error as StackExportFormatError;
    }
    throw new Error("expected a StackExportFormatError");
}

describe("parseStackExport", () => {
    it("extracts a RiskSummary with plaintext users, its audit, and its name and stack from the URN", () => {
        const exp = parseStackExport(text(stackExportOf([{ summary }])), "dev.json");
        expect(exp.file).toBe("dev.json");
        expect(exp.summaries).toHaveLength(1);
        const s = exp.summaries[0]!;
        expect(s.resourceName).toBe(`risk-summary-${summary.accountId}`);
        expect(s.stackName).toBe("dev");
        expect(s.urn).toMatch(/^urn:pulumi:dev::.*::pulumi-nodejs:dynamic\/cloudflare-risk:RiskSummary::risk-summary-/);
        expect(s.counts).toEqual(summary.counts);
        expect(s.users).toEqual({ state: "plaintext", list: summary.users });
        expect(s.audit).toEqual({ state: "present", audit: buildRiskSummaryAudit(summary, reportEndpoint) });
    });

    it("reveals users given as a plaintext secret envelope (--show-secrets), nested envelopes included", () => {
        const [first, ...rest] = summary.users;
        const nested = [plaintextSecret(first), ...rest];
        const exp = parseStackExport(
            withOutputs((o) => (o.users = plaintextSecret(nested))),
            "f.json",
        );
        expect(exp.summaries[0]!.users).toEqual({ state: "plaintext", list: summary.users });
    });

    it("reports encrypted users and audit as encrypted, and a missing audit as absent", () => {
        const enc = parseStackExport(
            withOutputs((o) => ((o.users = encrypted()), (o.audit = encrypted()))),
            "f.json",
        ).summaries[0]!;
        expect(enc.users).toEqual({ state: "encrypted" });
        expect(enc.audit).toEqual({ state: "encrypted" });
        const old = parseStackExport(text(stackExportOf([{ summary, audit: null }])), "f.json").summaries[0]!;
        expect(old.audit).toEqual({ state: "absent" });
    });

    it("keeps every RiskSummary of an export, sorted by name, and ignores other resource types", () => {
        const doc = stackExportOf([
            { summary: reportSummaryOf({ filters: { minRiskLevel: "high" } }), name: "risk-summary-b" },
            { summary, name: "risk-summary-a" },
        ]) as { deployment: { resources: unknown[] } };
        doc.deployment.resources.push({
            urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cloudflare-risk:RiskTrend::t",
            type: "pulumi-nodejs:dynamic/cloudflare-risk:RiskTrend",
            outputs: { x: 1 },
        });
        const exp = parseStackExport(text(doc), "f.json");
        expect(exp.summaries.map((s) => s.resourceName)).toEqual(["risk-summary-a", "risk-summary-b"]);
        expect(exp.summaries[1]!.filters).toEqual({ minRiskLevel: "high" });
    });

    it("rejects text that is not JSON, naming the file and the export command", () => {
        const error = (() => {
            try {
                parseStackExport("Current stack outputs (2):", "outputs.txt");
            } catch (e) {
                return e as Error;
            }
            throw new Error("expected an error");
        })();
        expect(error).toBeInstanceOf(StackExportJsonError);
        expect(error.message).toMatch(/^outputs\.txt: not JSON/);
        expect(error.message).toContain("pulumi stack export --show-secrets --file <file>");
    });

    it("rejects JSON that is not a stack export, with the path of what is missing", () => {
        const error = formatError(() => parseStackExport(text({ counts: { high: 1 } }), "outputs.json"));
        expect(error.file).toBe("outputs.json");
        expect(error.issues.map((i) => i.path)).toEqual(["version", "deployment"]);
        expect(error.message).toContain("pulumi stack export");
    });

    it("rejects an unknown deployment version and a backend checkpoint file, saying which", () => {
        expect(formatError(() => parseStackExport(text({ version: 4, deployment: { resources: [] } }), "v4.json")).message).toContain(
            "version 4 is not supported (expected 3)",
        );
        const checkpoint = formatError(() => parseStackExport(text({ version: 3, checkpoint: { latest: {} } }), "dev.json"));
        expect(checkpoint.message).toContain("backend checkpoint file");
    });

    it("rejects an export without RiskSummary resources, counting what it holds", () => {
        const doc = stackExportOf([]);
        expect(() => parseStackExport(text(doc), "other.json")).toThrow(NoRiskSummaryError);
        expect(() => parseStackExport(text(doc), "other.json")).toThrow(
            /^other\.json: no resource of type .*RiskSummary among its 2 resources\. Export a stack whose program calls getRiskSummary/,
        );
        expect(() => parseStackExport(text({ version: 3, deployment: {} }), "empty.json")).toThrow(/among its 0 resources/);
    });

    it("names the field of a malformed output, with the resource's URN", () => {
        const error = formatError(() =>
            parseStackExport(
                withOutputs((o) => ((o.counts as Record<string, unknown>).high = "7")),
                "f.json",
            ),
        );
        expect(error.issues).toHaveLength(1);
        expect(error.issues[0]!.path).toBe("deployment.resources[2].outputs.counts.high");
        expect(error.issues[0]!.problem).toContain("urn:pulumi:dev::");
    });

    it("reads users stored as a plain list, as states written before the compressed form hold them", () => {
        const exp = parseStackExport(
            withOutputs((o) => (o.users = plaintextSecret(summary.users))),
            "f.json",
        );
        expect(exp.summaries[0]!.users).toEqual({ state: "plaintext", list: summary.users });
    });

    it("rejects stored users that are not base64 of gzip-compressed JSON, without quoting them", () => {
        const error = formatError(() =>
            parseStackExport(
                withOutputs((o) => (o.users = plaintextSecret(summary.users[0]!.email))),
                "f.json",
            ),
        );
        expect(error.issues).toEqual([
            {
                path: "deployment.resources[2].outputs.users",
                problem: expect.stringMatching(/^not base64 of gzip-compressed JSON \(the export was edited or damaged\)/),
            },
        ]);
        expect(error.message).not.toContain(summary.users[0]!.email);
    });

    it("points into a compressed users list for a malformed user", () => {
        const users = summary.users.map((u, i) => (i === 3 ? { ...u, maxRiskLevel: "critical" } : u));
        const error = formatError(() =>
            parseStackExport(
                withOutputs((o) => (o.users = encodeStoredRiskUsers(users as typeof summary.users))),
                "f.json",
            ),
        );
        expect(error.issues.map((i) => i.path)).toEqual(["deployment.resources[2].outputs.users[3].maxRiskLevel"]);
    });

    it("points into the users list for a malformed user, and never prints an email", () => {
        const users = summary.users.map((u, i) => (i === 3 ? { ...u, maxRiskLevel: "critical" } : u));
        const error = formatError(() =>
            parseStackExport(
                withOutputs((o) => (o.users = users)),
                "f.json",
            ),
        );
        expect(error.issues.map((i) => i.path)).toEqual(["deployment.resources[2].outputs.users[3].maxRiskLevel"]);
        for (const u of summary.users) expect(error.message).not.toContain(u.email);
    });

    it("asks for --show-secrets when a field that is normally plain is encrypted", () => {
        const error = formatError(() =>
            parseStackExport(
                withOutputs((o) => (o.counts = encrypted())),
                "f.json",
            ),
        );
        expect(error.issues[0]!.path).toBe("deployment.resources[2].outputs.counts");
        expect(error.message).toContain("pulumi stack export --show-secrets");
    });

    it("rejects a secret whose plaintext is not JSON, a RiskSummary never read, and duplicate URNs", () => {
        const bad = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: "{oops" };
        expect(
            formatError(() =>
                parseStackExport(
                    withOutputs((o) => (o.users = bad)),
                    "f.json",
                ),
            ).issues[0]!.path,
        ).toBe("deployment.resources[2].outputs.users");

        const noOutputs = stackExportOf([{ summary }]) as { deployment: { resources: Record<string, unknown>[] } };
        delete noOutputs.deployment.resources[2]!.outputs;
        expect(formatError(() => parseStackExport(text(noOutputs), "f.json")).message).toContain("run `pulumi up`");

        const twice = stackExportOf([{ summary }, { summary }]);
        expect(formatError(() => parseStackExport(text(twice), "f.json")).message).toContain("duplicate URN");
    });
});

describe("readStackExportFile", () => {
    let dir: string;
    beforeAll(async () => {
        dir = await reportTempDir();
    });
    afterAll(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it("names a missing file and how to create it", async () => {
        const file = path.join(dir, "missing.json");
        const error = (await rejection(readStackExportFile(file))) as StackExportFileError;
        expect(error).toBeInstanceOf(StackExportFileError);
        expect(error.systemCode).toBe("ENOENT");
        expect(error.code).toBe("CFRISK_STACK_EXPORT_FILE");
        expect(error.message).toBe(
            `${file}: file not found. Check the path. Create it with \`pulumi stack export --show-secrets --file <file>\` in the stack's project folder.`,
        );
    });

    it("says when the path is a folder", async () => {
        const error = await rejection(readStackExportFile(dir));
        expect(error).toBeInstanceOf(StackExportFileError);
        expect(error.message).toContain("is a folder, not a file");
    });

    it("reads UTF-8 with a byte order mark and UTF-16 as PowerShell's redirection writes it", async () => {
        const json = text(stackExportOf([{ summary }]));
        const utf8 = path.join(dir, "bom8.json");
        const utf16 = path.join(dir, "bom16.json");
        await writeFile(utf8, `\ufeff${json}`, "utf8");
        await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]));
        expect((await readStackExportFile(utf8)).summaries[0]!.counts).toEqual(summary.counts);
        expect((await readStackExportFile(utf16)).summaries[0]!.counts).toEqual(summary.counts);
    });
});

describe("compatibility with the provider", () => {
    const originalDispatcher = getGlobalDispatcher();
    afterAll(() => setGlobalDispatcher(originalDispatcher));

    it("reads the outputs the dynamic provider stores, and verifies their digest", async () => {
        provider.resetProviderState();
        setGlobalDispatcher(mockCloudflare(generateRiskDataset({ size: 45, seed: 3 })).agent);
        const read = await provider.read(accountId, { accountId, apiToken, minRiskLevel: "medium" });
        // The state holds the outputs as JSON, with `users` as a secret envelope once exported with --show-secrets.
        const outputs = JSON.parse(JSON.stringify(read.props)) as Record<string, unknown>;
        const doc = stackExportOf([{ summary }]) as { deployment: { resources: { type: string; outputs: Record<string, unknown> }[] } };
        doc.deployment.resources.find((r) => r.type === riskSummaryType)!.outputs = { ...outputs, users: plaintextSecret(outputs.users) };
        const exp = parseStackExport(text(doc), "provider.json");
        const s = exp.summaries[0]!;
        expect(s.audit.state).toBe("present");
        expect(s.filters).toEqual({ minRiskLevel: "medium" });
        expect(buildRiskReport([exp]).exports[0]!.summaries[0]!.digest.status).toBe("verified");
    });
});
