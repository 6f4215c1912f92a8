import type { DigestCheck } from "./checkUsersDigest";
import { escapeMarkdown as md } from "./escapeMarkdown";
import { type ReportSeries, type ReportSummary, type ReportTrend, type RiskReport, reportLevels } from "./riskReportModel";
import {
    digestDetailText,
    digestStatusText,
    endpointText,
    filtersText,
    formatCount,
    formatDelta,
    formatShare,
    levelOrNone,
    levelTitles,
    maskedEmailsNote,
    packageText,
    reportTitle,
    trendEncryptedText,
    trendKindTitles,
    usersStateText,
} from "./reportText";

/** A GFM table; every cell is escaped by the caller (numbers and fixed words need none). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function digestMarkdown(digest: DigestCheck): string {
    const status = digest.status === "mismatch" ? "**MISMATCH**" : md(digestStatusText(digest));
    return `${status} — ${md(digestDetailText(digest))}`;
}

function digestTallyLine(report: RiskReport): string {
    const d = report.digests;
    const parts = [
        `${d.verified} verified`,
        d.mismatch > 0 ? `**${d.mismatch} MISMATCH**` : "0 mismatches",
        `${d.encrypted} not checked (users encrypted)`,
        `${d.noAudit} without audit output`,
    ];
    return `**Digest check:** ${parts.join(", ")}.`;
}

function summarySection(s: ReportSummary): string {
    const c = s.counts;
    return [
        `#### ${md(s.resourceName)}`,
        "",
        `- Account: ${md(s.accountId)}`,
        `- Stack: ${md(s.stackName)}`,
        `- Fetched at: ${md(s.fetchedAt)}`,
        `- Package: ${md(packageText(s))}`,
        `- Endpoint: ${md(endpointText(s))}`,
        `- Filters: ${md(filtersText(s.filters))}`,
        `- Users: ${md(usersStateText(s))}`,
        `- Digest: ${digestMarkdown(s.digest)}`,
        "",
        table(
            ["High", "Medium", "Low", "Total", "Account total"],
            [[formatCount(c.high), formatCount(c.medium), formatCount(c.low), formatCount(c.total), formatCount(c.accountTotal)]],
        ),
    ].join("\n");
}

function distributionSection(series: ReportSeries): string {
    const rows = series.points.map((p) => [
        String(p.exportNumber),
        md(p.fetchedAt),
        ...reportLevels.map((l) => `${formatCount(p.counts[l])} (${formatShare(p.counts[l], p.counts.total)})`),
        formatCount(p.counts.total),
    ]);
    return [
        `### ${md(series.resourceName)}`,
        "",
        table(["Export", "Fetched at", ...reportLevels.map((l) => levelTitles[l]), "Total"], rows),
    ].join("\n");
}

function trendSection(series: ReportSeries, trend: ReportTrend): string {
    const { from, to, deltas } = trend;
    const counts = (["high", "medium", "low", "total", "accountTotal"] as const).map((k) => [
        k === "accountTotal" ? "Account total" : k === "total" ? "Total" : levelTitles[k],
        formatCount(from.counts[k]),
        formatCount(to.counts[k]),
        formatDelta(deltas[k]),
    ]);
    const out = [
        `### ${md(series.resourceName)}: export ${from.exportNumber} → export ${to.exportNumber}`,
        "",
        `${md(from.fetchedAt)} → ${md(to.fetchedAt)}`,
        "",
        table(["Users", `Export ${from.exportNumber}`, `Export ${to.exportNumber}`, "Change"], counts),
    ];
    if (trend.filtersChanged)
        out.push(
            "",
            "The resource's filters changed between these exports: some users may have entered or left the filters rather than changed level.",
        );
    if (trend.changes === undefined) {
        out.push("", md(trendEncryptedText()));
        return out.join("\n");
    }
    const total = trend.changes.reduce((n, g) => n + g.changes.length, 0);
    if (total === 0) {
        out.push("", "No user changed level, appeared or left.");
        return out.join("\n");
    }
    out.push(
        "",
        table(
            ["Change", "Users", "Who"],
            trend.changes.map((g) => [
                trendKindTitles[g.kind],
                formatCount(g.changes.length),
                g.changes.length === 0 ? "—" : md(g.emailList),
            ]),
        ),
    );
    for (const group of trend.changes) {
        if (group.changes.length === 0) continue;
        out.push(
            "",
            `#### ${trendKindTitles[group.kind]} (${formatCount(group.changes.length)})`,
            "",
            table(
                ["User id", "Email", "From", "To"],
                group.changes.map((c) => [md(c.userId), md(c.email), levelOrNone(c.from), levelOrNone(c.to)]),
            ),
        );
    }
    return out.join("\n");
}

function highRiskSection(series: ReportSeries, reveal: boolean): string {
    const s = series.latest;
    const out = [`### ${md(series.resourceName)}`, "", `Export ${series.latestExportNumber}, fetched at ${md(s.fetchedAt)}.`, ""];
    if (s.highRiskUsers === undefined) {
        out.push(`${formatCount(s.counts.high)} high-risk users; the list is encrypted: ${md("export with --show-secrets")} to see it.`);
    } else if (s.highRiskUsers.length === 0) {
        out.push("No high-risk users.");
    } else {
        const header = reveal ? ["User id", "Email", "Name", "Events", "Last event"] : ["User id", "Email", "Events", "Last event"];
        const rows = s.highRiskUsers.map((u) =>
            reveal
                ? [md(u.userId), md(u.email), md(u.name ?? ""), formatCount(u.eventCount), md(u.lastEvent)]
                : [md(u.userId), md(u.email), formatCount(u.eventCount), md(u.lastEvent)],
        );
        out.push(table(header, rows));
    }
    return out.join("\n");
}

/** The report as GitHub-flavoured Markdown: tables only, nothing embedded or linked. */
export function renderMarkdownReport(report: RiskReport): string {
    const summaryCount = report.exports.reduce((n, e) => n + e.summaries.length, 0);
    const out: string[] = [
        `# ${reportTitle}`,
        "",
        `Generated ${md(report.generatedAt)} by ${md(report.generator.name)} ${md(report.generator.version)} from ` +
            `${report.exports.length} stack export${report.exports.length === 1 ? "" : "s"} (${summaryCount} RiskSummary resource${summaryCount === 1 ? "" : "s"}).`,
        "",
        md(maskedEmailsNote(report.revealEmails)),
        "",
        digestTallyLine(report),
        "",
        "## Exports",
        "",
        table(
            ["#", "File", "Fetched at", "Summaries"],
            report.exports.map((e) => [
                String(e.number),
                md(e.file),
                md(e.fetchedAt),
                e.summaries.map((s) => md(s.resourceName)).join(", "),
            ]),
        ),
        "",
        "## Users per risk level",
    ];
    for (const series of report.series) out.push("", distributionSection(series));
    for (const exp of report.exports) {
        out.push("", `## Export ${exp.number}: ${md(exp.file)}`);
        for (const summary of exp.summaries) out.push("", summarySection(summary));
    }
    out.push("", "## Trends");
    const withTrends = report.series.filter((s) => s.trends.length > 0);
    if (withTrends.length === 0)
        out.push("", "No resource appears in more than one export: pass two or more exports of the same stack to see a trend.");
    for (const series of withTrends) for (const trend of series.trends) out.push("", trendSection(series, trend));
    out.push("", "## High-risk users");
    for (const series of report.series) out.push("", highRiskSection(series, report.revealEmails));
    return `${out.join("\n")}\n`;
}
