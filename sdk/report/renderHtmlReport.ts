import type { DigestCheck } from "./checkUsersDigest";
import { escapeHtml as h } from "./escapeHtml";
import { riskLevelChartSvg, riskLevelColors, systemFontStack } from "./riskLevelChartSvg";
import { type ReportSeries, type ReportSummary, type ReportTrend, type RiskReport, reportLevels } from "./riskReportModel";
import {
    digestDetailText,
    digestStatusText,
    endpointText,
    filtersText,
    formatCount,
    formatDelta,
    formatShare,
    formatShortTime,
    levelOrNone,
    levelTitles,
    maskedEmailsNote,
    packageText,
    reportTitle,
    trendEncryptedText,
    trendKindTitles,
    usersStateText,
} from "./reportText";

// Inline only: the page must open offline, from an email attachment or a CI artifact, and load nothing.
const css = `
:root { color-scheme: light; }
body { font-family: ${systemFontStack}; color: #111827; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #e5e7eb; }
h3 { font-size: 1.1rem; margin: 24px 0 6px; }
h4 { font-size: 1rem; margin: 18px 0 6px; }
p.meta { color: #4b5563; margin: 4px 0; }
code, .mono { font-family: ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', 'DejaVu Sans Mono', monospace; font-size: 0.9em; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 0.92rem; }
th, td { border: 1px solid #e5e7eb; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafafa; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 6px 0 10px; }
dl.facts dt { color: #4b5563; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: 0.85rem; }
.status-verified { background: #dcfce7; color: #14532d; }
.status-mismatch { background: #c62828; color: #fff; }
.status-encrypted { background: #e5e7eb; color: #374151; }
.status-no-audit { background: #fef3c7; color: #78350f; }
.banner { padding: 8px 12px; border-radius: 6px; margin: 12px 0; }
.banner-ok { background: #f0fdf4; border: 1px solid #bbf7d0; }
.banner-alert { background: #fef2f2; border: 1px solid #fecaca; color: #7f1d1d; }
.level { display: inline-flex; align-items: center; gap: 6px; }
.level::before { content: ""; width: 10px; height: 10px; border-radius: 2px; background: var(--swatch, #9ca3af); }
figure.chart { margin: 12px 0; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #4b5563; font-size: 0.9rem; }
.note { color: #4b5563; }
`;

function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
    const cls = (i: number) => (numeric.has(i) ? ` class="num"` : "");
    const head = header.map((c, i) => `<th${cls(i)}>${c}</th>`).join("");
    const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`).join("\n");
    return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function levelCell(level: string | null): string {
    if (level === "high" || level === "medium" || level === "low")
        return `<span class="level" style="--swatch: ${riskLevelColors[level]}">${h(level)}</span>`;
    return h(levelOrNone(null));
}

function digestHtml(digest: DigestCheck): string {
    return `<span class="status status-${digest.status}">${h(digestStatusText(digest))}</span> <span class="note">${h(digestDetailText(digest))}</span>`;
}

function digestBanner(report: RiskReport): string {
    const d = report.digests;
    const text =
        `Digest check: ${d.verified} verified, ${d.mismatch} MISMATCH, ` +
        `${d.encrypted} not checked (users encrypted), ${d.noAudit} without audit output.`;
    return `<p class="banner ${d.mismatch > 0 ? "banner-alert" : "banner-ok"}" id="digest-summary">${h(text)}</p>`;
}

function summarySection(s: ReportSummary): string {
    const c = s.counts;
    const facts: [string, string][] = [
        ["Account", `<code>${h(s.accountId)}</code>`],
        ["Stack", h(s.stackName)],
        ["Fetched at", h(s.fetchedAt)],
        ["Package", h(packageText(s))],
        ["Endpoint", h(endpointText(s))],
        ["Filters", h(filtersText(s.filters))],
        ["Users", h(usersStateText(s))],
        ["Digest", digestHtml(s.digest)],
    ];
    return [
        `<h4>${h(s.resourceName)}</h4>`,
        `<dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join("")}</dl>`,
        table(
            ["High", "Medium", "Low", "Total", "Account total"],
            [[formatCount(c.high), formatCount(c.medium), formatCount(c.low), formatCount(c.total), formatCount(c.accountTotal)].map(h)],
            new Set([0, 1, 2, 3, 4]),
        ),
    ].join("\n");
}

function distributionSection(series: ReportSeries, index: number): string {
    const svg = riskLevelChartSvg(
        series.points.map((p) => ({
            key: String(p.exportNumber),
            label: `Export ${p.exportNumber}`,
            sublabel: formatShortTime(p.fetchedAt),
            counts: p.counts,
        })),
        { title: `Users per risk level of ${series.resourceName}, per export`, idPrefix: `chart-${index + 1}` },
    );
    const rows = series.points.map((p) =>
        [
            String(p.exportNumber),
            p.fetchedAt,
            ...reportLevels.map((l) => `${formatCount(p.counts[l])} (${formatShare(p.counts[l], p.counts.total)})`),
            formatCount(p.counts.total),
        ].map(h),
    );
    return [
        `<h3>${h(series.resourceName)}</h3>`,
        `<figure class="chart">`,
        svg,
        `<figcaption>Users per risk level of ${h(series.resourceName)} (account <code>${h(series.latest.accountId)}</code>), one group of bars per export.</figcaption>`,
        `</figure>`,
        table(["Export", "Fetched at", ...reportLevels.map((l) => levelTitles[l]), "Total"].map(h), rows, new Set([0, 2, 3, 4, 5])),
    ].join("\n");
}

function trendSection(series: ReportSeries, trend: ReportTrend): string {
    const { from, to, deltas } = trend;
    const rows = (["high", "medium", "low", "total", "accountTotal"] as const).map((k) =>
        [
            k === "accountTotal" ? "Account total" : k === "total" ? "Total" : levelTitles[k],
            formatCount(from.counts[k]),
            formatCount(to.counts[k]),
            formatDelta(deltas[k]),
        ].map(h),
    );
    const out = [
        `<h3>${h(series.resourceName)}: export ${from.exportNumber} → export ${to.exportNumber}</h3>`,
        `<p class="meta">${h(from.fetchedAt)} → ${h(to.fetchedAt)}</p>`,
        table(["Users", `Export ${from.exportNumber}`, `Export ${to.exportNumber}`, "Change"].map(h), rows, new Set([1, 2, 3])),
    ];
    if (trend.filtersChanged)
        out.push(
            `<p class="note">The resource's filters changed between these exports: some users may have entered or left the filters rather than changed level.</p>`,
        );
    if (trend.changes === undefined) {
        out.push(`<p class="note trend-encrypted">${h(trendEncryptedText())}</p>`);
        return out.join("\n");
    }
    if (trend.changes.every((g) => g.changes.length === 0)) {
        out.push(`<p class="note">No user changed level, appeared or left.</p>`);
        return out.join("\n");
    }
    out.push(
        table(
            ["Change", "Users", "Who"].map(h),
            trend.changes.map((g) => [
                h(trendKindTitles[g.kind]),
                h(formatCount(g.changes.length)),
                g.changes.length === 0 ? "—" : h(g.emailList),
            ]),
            new Set([1]),
        ),
    );
    for (const group of trend.changes) {
        if (group.changes.length === 0) continue;
        out.push(
            `<h4>${h(trendKindTitles[group.kind])} (${h(formatCount(group.changes.length))})</h4>`,
            table(
                ["User id", "Email", "From", "To"].map(h),
                group.changes.map((c) => [`<span class="mono">${h(c.userId)}</span>`, h(c.email), levelCell(c.from), levelCell(c.to)]),
            ),
        );
    }
    return out.join("\n");
}

function highRiskSection(series: ReportSeries, reveal: boolean): string {
    const s = series.latest;
    const out = [
        `<h3>${h(series.resourceName)}</h3>`,
        `<p class="meta">Export ${series.latestExportNumber}, fetched at ${h(s.fetchedAt)}.</p>`,
    ];
    if (s.highRiskUsers === undefined) {
        out.push(
            `<p class="note">${h(`${formatCount(s.counts.high)} high-risk users; the list is encrypted: export with --show-secrets to see it.`)}</p>`,
        );
    } else if (s.highRiskUsers.length === 0) {
        out.push(`<p class="note">No high-risk users.</p>`);
    } else {
        const header = reveal ? ["User id", "Email", "Name", "Events", "Last event"] : ["User id", "Email", "Events", "Last event"];
        const rows = s.highRiskUsers.map((u) => {
            const id = `<span class="mono">${h(u.userId)}</span>`;
            return reveal
                ? [id, h(u.email), h(u.name ?? ""), h(formatCount(u.eventCount)), h(u.lastEvent)]
                : [id, h(u.email), h(formatCount(u.eventCount)), h(u.lastEvent)];
        });
        out.push(table(header.map(h), rows, new Set([reveal ? 3 : 2])));
    }
    return out.join("\n");
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, and a Content Security
 * Policy that forbids loading anything, so that the page works offline and cannot call out.
 */
export function renderHtmlReport(report: RiskReport): string {
    const summaryCount = report.exports.reduce((n, e) => n + e.summaries.length, 0);
    const body: string[] = [
        `<h1>${h(reportTitle)}</h1>`,
        `<p class="meta">Generated ${h(report.generatedAt)} by ${h(report.generator.name)} ${h(report.generator.version)} from ` +
            `${report.exports.length} stack export${report.exports.length === 1 ? "" : "s"} (${summaryCount} RiskSummary resource${summaryCount === 1 ? "" : "s"}).</p>`,
        `<p class="meta">${h(maskedEmailsNote(report.revealEmails))}</p>`,
        digestBanner(report),
        `<section id="exports"><h2>Exports</h2>`,
        table(
            ["#", "File", "Fetched at", "Summaries"].map(h),
            report.exports.map((e) => [
                h(String(e.number)),
                `<code>${h(e.file)}</code>`,
                h(e.fetchedAt),
                e.summaries.map((s) => h(s.resourceName)).join(", "),
            ]),
            new Set([0]),
        ),
        `</section>`,
        `<section id="distribution"><h2>Users per risk level</h2>`,
        ...report.series.map((s, i) => distributionSection(s, i)),
        `</section>`,
    ];
    for (const exp of report.exports) {
        body.push(`<section class="export" id="export-${exp.number}"><h2>Export ${exp.number}: <code>${h(exp.file)}</code></h2>`);
        for (const summary of exp.summaries) body.push(summarySection(summary));
        body.push(`</section>`);
    }
    body.push(`<section id="trends"><h2>Trends</h2>`);
    const withTrends = report.series.filter((s) => s.trends.length > 0);
    if (withTrends.length === 0)
        body.push(
            `<p class="note">No resource appears in more than one export: pass two or more exports of the same stack to see a trend.</p>`,
        );
    for (const series of withTrends) for (const trend of series.trends) body.push(trendSection(series, trend));
    body.push(`</section>`, `<section id="high-risk-users"><h2>High-risk users</h2>`);
    for (const series of report.series) body.push(highRiskSection(series, report.revealEmails));
    body.push(`</section>`);

    return [
        `<!DOCTYPE html>`,
        `<html lang="en">`,
        `<head>`,
        `<meta charset="utf-8">`,
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
        `<meta name="viewport" content="width=device-width, initial-scale=1">`,
        `<meta name="referrer" content="no-referrer">`,
        `<title>${h(reportTitle)}</title>`,
        `<style>${css}</style>`,
        `</head>`,
        `<body>`,
        `<main>`,
        ...body,
        `</main>`,
        `</body>`,
        `</html>`,
        ``,
    ].join("\n");
}
