import { mkdir, readFile, rm } from "node:fs/promises";
import * as path from "node:path";
import { generateRiskDataset, withRiskLevel } from "../../../../dev/local-api/riskDataset";
import { maskEmail } from "../../../../provider/summary/maskEmail";
import type { WireRiskUser } from "../../../../provider/client/schema";
import { buildRiskReport } from "../../../../sdk/report/buildRiskReport";
import { checkUsersDigest } from "../../../../sdk/report/checkUsersDigest";
import { type StackExport, parseStackExport } from "../../../../sdk/report/readStackExport";
import { RiskReportError } from "../../../../sdk/report/errors";
import * as api from "../../../../sdk/report";
import {
    type ReportResourceSpec,
    reportSummaryOf,
    reportTempDir,
    stackExportOf,
    writeStackExports,
} from "../../../support/reportStackExports";

const base = generateRiskDataset({ size: 60, seed: 7 });
const indexOf = (level: WireRiskUser["max_risk_level"]) => base.findIndex((u) => u.max_risk_level === level);
const [lowAt, mediumAt, highAt] = [indexOf("low"), indexOf("medium"), indexOf("high")];
const newcomer = withRiskLevel(generateRiskDataset({ size: 1, seed: 99 })[0]!, "medium");
/** A day later: one low user rose to high, one high fell to medium, one medium left, one user appeared. */
const later = base
    .map((u, i) => (i === lowAt ? withRiskLevel(u, "high") : i === highAt ? withRiskLevel(u, "medium") : u))
    .filter((_, i) => i !== mediumAt)
    .concat(newcomer);

const day1 = reportSummaryOf({ users: base, fetchedAt: new Date("2025-01-30T08:00:00Z") });
const day2 = reportSummaryOf({ users: later, fetchedAt: new Date("2025-01-31T08:00:00Z") });

function exportOf(file: string, ...specs: ReportResourceSpec[]): StackExport {
    return parseStackExport(JSON.stringify(stackExportOf(specs)), file);
}

describe("the digest check", () => {
    it("verifies users that hash to the audit's usersSha256", () => {
        const report = buildRiskReport([exportOf("a.json", { summary: day1 })]);
        const digest = report.exports[0]!.summaries[0]!.digest;
        expect(digest.status).toBe("verified");
        expect(report.digests).toEqual({ verified: 1, mismatch: 0, encrypted: 0, noAudit: 0 });
    });

    it("finds a mismatch when one user was altered after the read", () => {
        const tampered = day1.users.map((u, i) =>
            i === 0 ? { ...u, maxRiskLevel: u.maxRiskLevel === "low" ? ("medium" as const) : ("low" as const) } : u,
        );
        const report = buildRiskReport([exportOf("a.json", { summary: day1, storedUsers: tampered })]);
        const digest = report.exports[0]!.summaries[0]!.digest;
        expect(digest.status).toBe("mismatch");
        if (digest.status !== "mismatch") return;
        expect(digest.expected).not.toBe(digest.actual);
        expect(digest.expected).toMatch(/^[0-9a-f]{64}$/);
        expect(report.digests.mismatch).toBe(1);
    });

    it("cannot check encrypted users, nor a state without audit output", () => {
        const report = buildRiskReport([
            exportOf("enc.json", { summary: day1, users: "ciphertext" }),
            exportOf("old.json", { summary: day2, audit: null }),
        ]);
        expect(report.exports.map((e) => e.summaries[0]!.digest.status)).toEqual(["encrypted", "no-audit"]);
        expect(report.digests).toEqual({ verified: 0, mismatch: 0, encrypted: 1, noAudit: 1 });
        expect(report.exports[1]!.summaries[0]!.packageVersion).toBeUndefined();
        expect(report.exports[0]!.summaries[0]!.packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("treats an encrypted audit like encrypted users", () => {
        expect(checkUsersDigest({ state: "plaintext", list: day1.users }, { state: "encrypted" })).toEqual({ status: "encrypted" });
    });
});

describe("the order of exports and the trend between them", () => {
    it("orders exports by fetchedAt, whatever order they were given in", () => {
        const report = buildRiskReport([exportOf("late.json", { summary: day2 }), exportOf("early.json", { summary: day1 })]);
        expect(report.exports.map((e) => [e.number, e.file])).toEqual([
            [1, "early.json"],
            [2, "late.json"],
        ]);
        expect(report.series).toHaveLength(1);
        expect(report.series[0]!.points.map((p) => p.exportNumber)).toEqual([1, 2]);
        expect(report.series[0]!.latestExportNumber).toBe(2);
    });

    it("lists who escalated, de-escalated, appeared and left, with old and new levels", () => {
        const report = buildRiskReport([exportOf("a.json", { summary: day1 }), exportOf("b.json", { summary: day2 })], {
            revealEmails: true,
        });
        const trend = report.series[0]!.trends[0]!;
        const byKind = Object.fromEntries(trend.changes!.map((g) => [g.kind, g.changes]));
        expect(byKind.escalated).toEqual([{ userId: base[lowAt]!.user_id, email: base[lowAt]!.email, from: "low", to: "high" }]);
        expect(byKind.deescalated).toEqual([{ userId: base[highAt]!.user_id, email: base[highAt]!.email, from: "high", to: "medium" }]);
        expect(byKind.left).toEqual([{ userId: base[mediumAt]!.user_id, email: base[mediumAt]!.email, from: "medium", to: null }]);
        expect(byKind.appeared).toEqual([{ userId: newcomer.user_id, email: newcomer.email, from: null, to: "medium" }]);
        expect(trend.deltas).toEqual({ total: 0, high: 0, medium: 1, low: -1, accountTotal: 0 });
        expect(trend.filtersChanged).toBe(false);
    });

    it("keeps only the counts when either export has encrypted users, and flags changed filters", () => {
        const filtered = reportSummaryOf({
            users: later,
            fetchedAt: new Date("2025-01-31T08:00:00Z"),
            filters: { minRiskLevel: "medium" },
        });
        const report = buildRiskReport([
            exportOf("a.json", { summary: day1 }),
            exportOf("b.json", { summary: filtered, users: "ciphertext" }),
        ]);
        const trend = report.series[0]!.trends[0]!;
        expect(trend.changes).toBeUndefined();
        expect(trend.deltas.low).toBe(-day1.counts.low);
        expect(trend.filtersChanged).toBe(true);
        expect(report.series[0]!.latest.highRiskUsers).toBeUndefined();
    });

    it("keys summaries by URN: two resources of one export make two series, each with its own trend", () => {
        const highOnly = (s: typeof day1) =>
            reportSummaryOf({ users: s === day1 ? base : later, fetchedAt: new Date(s.fetchedAt), filters: { minRiskLevel: "high" } });
        const report = buildRiskReport([
            exportOf("a.json", { summary: day1 }, { summary: highOnly(day1), name: "risk-summary-high" }),
            exportOf("b.json", { summary: day2 }, { summary: highOnly(day2), name: "risk-summary-high" }),
        ]);
        expect(report.series.map((s) => s.resourceName)).toEqual([`risk-summary-${day1.accountId}`, "risk-summary-high"]);
        const high = report.series[1]!.trends[0]!;
        expect(high.changes!.find((g) => g.kind === "escalated")!.changes).toHaveLength(0);
        expect(high.changes!.find((g) => g.kind === "appeared")!.changes.map((c) => c.to)).toEqual(["high"]);
        expect(high.changes!.find((g) => g.kind === "left")!.changes.map((c) => c.from)).toEqual(["high"]);
    });

    it("refuses an export without summaries given through the API", () => {
        expect(() => buildRiskReport([{ file: "x.json", summaries: [] }])).toThrow(RiskReportError);
    });
});

describe("personal data in the model", () => {
    const twoExports = () => [exportOf("a.json", { summary: day1 }), exportOf("b.json", { summary: day2 })];

    it("masks emails and leaves names out by default", () => {
        const report = buildRiskReport(twoExports());
        const high = report.series[0]!.latest.highRiskUsers!;
        expect(high.length).toBe(day2.counts.high);
        for (const u of high) {
            expect(u.email).toMatch(/^.\*\*\*@/);
            expect(u).not.toHaveProperty("name");
        }
        const json = JSON.stringify(report);
        for (const u of [...base, newcomer]) {
            expect(json).not.toContain(u.email);
            expect(json).not.toContain(u.name);
        }
        const escalated = report.series[0]!.trends[0]!.changes!.find((g) => g.kind === "escalated")!;
        expect(escalated.changes[0]!.email).toBe(maskEmail(base[lowAt]!.email));
        expect(escalated.emailList).toBe(maskEmail(base[lowAt]!.email));
    });

    it("shows emails and names with revealEmails, high-risk users with the most events first", () => {
        const report = buildRiskReport(twoExports(), { revealEmails: true, now: new Date("2025-02-01T00:00:00Z") });
        expect(report.generatedAt).toBe("2025-02-01T00:00:00.000Z");
        const high = report.series[0]!.latest.highRiskUsers!;
        const expected = later
            .filter((u) => u.max_risk_level === "high")
            .sort((a, b) => b.event_count - a.event_count || Date.parse(b.last_event) - Date.parse(a.last_event));
        expect(high.map((u) => [u.email, u.name, u.eventCount])).toEqual(expected.map((u) => [u.email, u.name, u.event_count]));
    });

    it("lists at most emailListLimit emails on a change group's line", () => {
        const everyoneUp = base.map((u) => (u.max_risk_level === "high" ? u : withRiskLevel(u, "high")));
        const up = reportSummaryOf({ users: everyoneUp, fetchedAt: new Date("2025-01-31T08:00:00Z") });
        const report = buildRiskReport([exportOf("a.json", { summary: day1 }), exportOf("b.json", { summary: up })], { emailListLimit: 2 });
        const escalated = report.series[0]!.trends[0]!.changes!.find((g) => g.kind === "escalated")!;
        expect(escalated.emailList).toMatch(new RegExp(`^[^,]+, [^,]+ and ${escalated.changes.length - 2} more$`));
    });
});

describe("the programmatic API (report/index)", () => {
    it("reads, builds, renders and writes like the command line", async () => {
        const dir = await reportTempDir();
        try {
            const files = await writeStackExports(dir, {
                "a.json": stackExportOf([{ summary: day1 }]),
                "b.json": stackExportOf([{ summary: day2 }]),
            });
            const exports = await Promise.all(files.map((f) => api.readStackExportFile(f)));
            const report = api.buildRiskReport(exports);
            expect(api.renderMarkdownReport(report)).toContain("## Trends");
            expect(api.renderHtmlReport(report)).toContain(`<svg xmlns="http://www.w3.org/2000/svg" class="risk-chart"`);
            const written = await api.writeRiskReport(report, { outDir: dir, name: "api" });
            expect(await readFile(written.htmlPath, "utf8")).toBe(api.renderHtmlReport(report));
            expect(await readFile(written.markdownPath, "utf8")).toBe(api.renderMarkdownReport(report));
            // A folder where a report file should go: the error names the file.
            await mkdir(path.join(dir, "blocked.md"));
            await expect(api.writeRiskReport(report, { outDir: dir, name: "blocked" })).rejects.toThrow(api.ReportWriteError);
            await expect(api.writeRiskReport(report, { outDir: dir, name: "blocked" })).rejects.toThrow(
                /blocked\.md: EISDIR\. Choose a writable folder/,
            );
            expect(api.riskSummaryResourceType).toBe("pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary");
            expect(new api.StackExportJsonError("f", "x")).toBeInstanceOf(api.RiskReportError);
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});
