import { generateRiskDataset, withRiskLevel } from "../../../../dev/local-api/riskDataset";
import type { WireRiskUser } from "../../../../provider/client/schema";
import { buildRiskReport } from "../../../../sdk/report/buildRiskReport";
import { escapeHtml } from "../../../../sdk/report/escapeHtml";
import { escapeMarkdown } from "../../../../sdk/report/escapeMarkdown";
import { parseStackExport } from "../../../../sdk/report/readStackExport";
import { renderHtmlReport } from "../../../../sdk/report/renderHtmlReport";
import { renderMarkdownReport } from "../../../../sdk/report/renderMarkdownReport";
import type { RiskReport } from "../../../../sdk/report/riskReportModel";
import { type ReportResourceSpec, reportSummaryOf, stackExportOf } from "../../../support/reportStackExports";

const users = generateRiskDataset({ size: 40, seed: 5 });
const firstHigh = users.findIndex((u) => u.max_risk_level === "high");

/** Users whose personal data tries to break out of HTML and Markdown. */
const hostile: WireRiskUser[] = users.map((u, i) =>
    i === firstHigh
        ? { ...u, name: `<script>alert("x")</script> | Mallory`, email: `mallory@<img src=x onerror=alert(1)>.example` }
        : i === firstHigh + 1
          ? { ...withRiskLevel(u, "high"), name: "Eve *bold* [link](http://127.0.0.1:9/x) `code`", email: "eve|pipe@corp.example" }
          : u,
);

function reportOf(specs: ReportResourceSpec[][], files: string[], revealEmails = false): RiskReport {
    const exports = specs.map((s, i) => parseStackExport(JSON.stringify(stackExportOf(s)), files[i]!));
    return buildRiskReport(exports, { revealEmails, now: new Date("2025-02-01T00:00:00Z") });
}

// Filters as a state could hold them (set after the read, so that they do not drop users here).
const hostileSummary = {
    ...reportSummaryOf({ users: hostile }),
    filters: { emailDomains: ["<img src=x onerror=alert(2)>.example", "corp.example"] },
};
const hostileSpecs = [[{ summary: hostileSummary, name: `risk-"<b>bold</b>"` }]];
const hostileFiles = [`exports/<svg onload=alert(3)>.json`];

describe("HTML escaping", () => {
    for (const reveal of [false, true]) {
        it(`escapes every value, emails, names, file, resource name and filters included (revealEmails: ${reveal})`, () => {
            const html = renderHtmlReport(reportOf(hostileSpecs, hostileFiles, reveal));
            expect(html).not.toMatch(/<script/i);
            expect(html).not.toMatch(/<img/i);
            expect(html).not.toMatch(/<svg onload/i);
            expect(html).not.toContain("<b>bold</b>");
            expect(html).toContain(escapeHtml(`risk-"<b>bold</b>"`));
            expect(html).toContain("&lt;svg onload=alert(3)&gt;.json");
            expect(html).toContain("emailDomains: &lt;img src=x onerror=alert(2)&gt;.example, corp.example");
            expect(html).toContain(
                reveal ? "mallory@&lt;img src=x onerror=alert(1)&gt;.example" : "m***@&lt;img src=x onerror=alert(1)&gt;.example",
            );
            if (reveal) expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | Mallory");
            else expect(html).not.toContain("Mallory");
        });
    }

    it("is self-contained: no script, no external reference, a policy that forbids loading anything", () => {
        const html = renderHtmlReport(reportOf(hostileSpecs, hostileFiles, true));
        expect(html).toMatch(/^<!DOCTYPE html>/);
        // Values are escaped, so every "<" left starts one of the page's own tags.
        const tags = html.match(/<[a-zA-Z][^>]*>/g)!;
        expect(tags.length).toBeGreaterThan(100);
        for (const tag of tags) expect(tag).not.toMatch(/\s(src|href|xlink:href|action|srcset|on[a-z]+)\s*=/i);
        expect(html).not.toMatch(/url\(|@import|<link|<iframe|<object|<embed/i);
        expect(html).toContain(
            `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
        );
        expect(html.match(/<svg /g)).toHaveLength(1);
    });
});

describe("Markdown escaping and masking", () => {
    it("escapes Markdown and HTML syntax in values, so a value can neither format nor split a table cell", () => {
        const markdown = renderMarkdownReport(reportOf(hostileSpecs, hostileFiles, true));
        expect(markdown).not.toMatch(/(?<!\\)<(script|img|svg|b>)/);
        expect(markdown).toContain('\\<script\\>alert("x")\\</script\\> \\| Mallory');
        expect(markdown).toContain("Eve \\*bold\\* \\[link\\](http://127.0.0.1:9/x) \\`code\\`");
        // Every row of the high-risk table has as many cell separators as its header.
        const lines = markdown.split("\n");
        const header = lines.findIndex((l) => l.startsWith("| User id | Email | Name | Events | Last event |"));
        const separators = (line: string) => line.match(/(?<!\\)\|/g)!.length;
        const rows = lines.slice(header, lines.indexOf("", header));
        expect(rows.length).toBe(2 + hostileSummary.counts.high);
        for (const row of rows) expect(separators(row)).toBe(6);
    });

    it("masks emails and leaves names out unless revealed", () => {
        const masked = renderMarkdownReport(reportOf(hostileSpecs, hostileFiles));
        const revealed = renderMarkdownReport(reportOf(hostileSpecs, hostileFiles, true));
        const high = hostile.filter((u, i) => u.max_risk_level === "high" && i !== firstHigh && i !== firstHigh + 1);
        expect(high.length).toBeGreaterThan(1);
        for (const u of high) {
            expect(masked).not.toContain(escapeMarkdown(u.email));
            expect(masked).not.toContain(u.name);
            expect(revealed).toContain(escapeMarkdown(u.email));
            expect(revealed).toContain(u.name);
        }
        expect(masked).toContain("e\\*\\*\\*@corp.example");
        expect(masked).toContain("run with --reveal-emails to show them");
        expect(revealed).toContain("handle this report as personal data");
    });

    it("leaves underscores inside words alone and turns newlines into spaces", () => {
        expect(escapeMarkdown("zt_risk_scoring")).toBe("zt_risk_scoring");
        expect(escapeMarkdown("_em_ a\nb")).toBe("\\_em\\_ a b");
        expect(escapeMarkdown("a***@x|y & #1!")).toBe("a\\*\\*\\*@x\\|y \\& \\#1\\!");
    });
});

describe("what both renderers say", () => {
    const day1 = reportSummaryOf({ users, fetchedAt: new Date("2025-01-30T00:00:00Z") });
    const up = users.map((u, i) => (i === 0 ? withRiskLevel(u, "high") : u));
    const day2 = reportSummaryOf({ users: up, fetchedAt: new Date("2025-01-31T00:00:00Z") });
    const day3 = reportSummaryOf({ users: up, fetchedAt: new Date("2025-02-01T00:00:00Z") });
    const day4 = reportSummaryOf({ users: up, fetchedAt: new Date("2025-02-02T00:00:00Z") });
    const tampered = day2.users.map((u, i) => (i === 1 ? { ...u, eventCount: u.eventCount + 1 } : u));
    const report = reportOf(
        [
            [{ summary: day1 }],
            [{ summary: day2, storedUsers: tampered }],
            [{ summary: day3, audit: null }],
            [{ summary: day4, users: "ciphertext" }],
        ],
        ["1.json", "2.json", "3.json", "4.json"],
    );
    const outputs = { markdown: renderMarkdownReport(report), html: renderHtmlReport(report) };

    for (const [format, text] of Object.entries(outputs)) {
        it(`${format}: each digest status, the trend, and the --show-secrets hint`, () => {
            expect(text).toContain("Cloudflare Zero Trust risk report");
            expect(text).toMatch(/>verified<|: verified —/);
            expect(text).toContain("MISMATCH");
            expect(text).toContain("not checked: users are encrypted (export with --show-secrets)");
            expect(text).toContain("no audit output");
            expect(text).toContain("unknown (no audit output)");
            expect(text).toContain("Per-user changes need plaintext users in both exports");
            expect(text).toContain("export 1 → export 2");
            expect(text).toContain("Escalated (1)");
            expect(text).toContain("the list is encrypted");
            expect(text).not.toContain("No resource appears in more than one export");
        });
    }

    it("says when there is no trend to show and no high-risk user", () => {
        const calm = reportSummaryOf({ users: users.filter((u) => u.max_risk_level !== "high") });
        const single = reportOf([[{ summary: calm }]], ["only.json"]);
        for (const text of [renderMarkdownReport(single), renderHtmlReport(single)]) {
            expect(text).toContain("No resource appears in more than one export");
            expect(text).toContain("No high-risk users.");
        }
        const same = reportOf([[{ summary: calm }], [{ summary: calm }]], ["a.json", "b.json"]);
        for (const text of [renderMarkdownReport(same), renderHtmlReport(same)])
            expect(text).toContain("No user changed level, appeared or left.");
    });
});
