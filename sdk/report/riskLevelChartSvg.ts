import type { RiskLevel } from "../../provider/model/riskLevel";
import { escapeHtml } from "./escapeHtml";
import { reportLevels } from "./riskReportModel";
import { formatCount, levelTitles } from "./reportText";

/** One group of bars: a summary's counts in one export. */
export interface RiskLevelChartGroup {
    /** Written to each bar's `data-export`, for tests and styling. */
    readonly key: string;
    readonly label: string;
    readonly sublabel?: string;
    readonly counts: Readonly<Record<RiskLevel, number>>;
}

export interface RiskLevelChartOptions {
    /** Accessible name of the chart (the SVG's `<title>`). */
    readonly title: string;
    /** Prefix of the ids inside the SVG; must be unique in the page. */
    readonly idPrefix: string;
}

/** Red, orange, green: the usual reading of high, medium, low; each has the 3:1 contrast on white that graphics need. */
export const riskLevelColors: Readonly<Record<RiskLevel, string>> = { high: "#c62828", medium: "#d97706", low: "#2e7d32" };

/** Fonts every system has, so the chart needs no download and looks native everywhere. */
export const systemFontStack =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

const layout = {
    marginLeft: 56,
    marginRight: 16,
    /** Room for the legend and for the count above the tallest bar. */
    marginTop: 48,
    plotHeight: 200,
    /** Room for the level under each bar and the group's two label lines. */
    marginBottom: 62,
    barWidth: 40,
    barGap: 6,
    groupGap: 44,
    minPlotWidth: 300,
} as const;

/** An axis step of 1, 2 or 5 times a power of ten, giving about four gridlines. */
function niceStep(max: number): number {
    if (max <= 4) return 1;
    const raw = max / 4;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const residual = raw / magnitude;
    return (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude;
}

/** Coordinates rounded to tenths: exact enough, and stable text for tests. */
function r(n: number): string {
    return String(Math.round(n * 10) / 10);
}

/**
 * A grouped bar chart of users per level as an inline SVG document fragment: one group per
 * export, one bar per level, with its count above it and its level below. Text and attributes
 * are escaped; nothing in it refers to a resource outside the page.
 */
export function riskLevelChartSvg(groups: readonly RiskLevelChartGroup[], options: RiskLevelChartOptions): string {
    const { marginLeft, marginRight, marginTop, plotHeight, marginBottom, barWidth, barGap, groupGap, minPlotWidth } = layout;
    const groupWidth = reportLevels.length * barWidth + (reportLevels.length - 1) * barGap;
    const slot = groupWidth + groupGap;
    const plotWidth = Math.max(minPlotWidth, groups.length * slot);
    const width = marginLeft + plotWidth + marginRight;
    const height = marginTop + plotHeight + marginBottom;
    const baseline = marginTop + plotHeight;

    const max = Math.max(0, ...groups.flatMap((g) => reportLevels.map((l) => g.counts[l])));
    const step = niceStep(max);
    const top = Math.max(step, Math.ceil(max / step) * step);
    const y = (n: number) => baseline - (n / top) * plotHeight;

    const id = escapeHtml(options.idPrefix);
    const parts: string[] = [];
    const description = groups
        .map((g) => `${g.label}${g.sublabel ? ` (${g.sublabel})` : ""}: ${reportLevels.map((l) => `${l} ${g.counts[l]}`).join(", ")}`)
        .join("; ");
    parts.push(
        `<svg xmlns="http://www.w3.org/2000/svg" class="risk-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
            `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeHtml(systemFontStack)}" font-size="12">`,
        `<title id="${id}-title">${escapeHtml(options.title)}</title>`,
        `<desc id="${id}-desc">${escapeHtml(description)}</desc>`,
    );

    // Legend, top left.
    parts.push(`<g class="legend">`);
    let lx = marginLeft;
    for (const level of reportLevels) {
        parts.push(
            `<rect x="${lx}" y="10" width="12" height="12" rx="2" fill="${riskLevelColors[level]}"/>`,
            `<text x="${lx + 17}" y="20.5" fill="#1f2937">${escapeHtml(levelTitles[level])}</text>`,
        );
        lx += 17 + levelTitles[level].length * 8 + 18;
    }
    parts.push(`</g>`);

    // Gridlines with their values.
    parts.push(`<g class="grid">`);
    for (let v = 0; v <= top; v += step) {
        parts.push(
            `<line x1="${marginLeft}" x2="${marginLeft + plotWidth}" y1="${r(y(v))}" y2="${r(y(v))}" stroke="${v === 0 ? "#6b7280" : "#e5e7eb"}" stroke-width="1"/>`,
            `<text x="${marginLeft - 8}" y="${r(y(v) + 4)}" text-anchor="end" fill="#4b5563" font-size="11">${escapeHtml(formatCount(v))}</text>`,
        );
    }
    parts.push(`</g>`);

    // Centred, so that a single export does not leave the chart lopsided.
    const offset = (plotWidth - groups.length * slot) / 2;
    groups.forEach((group, gi) => {
        const gx = marginLeft + offset + groupGap / 2 + gi * slot;
        const key = escapeHtml(group.key);
        parts.push(`<g class="bar-group" data-export="${key}">`);
        reportLevels.forEach((level, li) => {
            const count = group.counts[level];
            const x = gx + li * (barWidth + barGap);
            // A zero count still shows as a hairline on the axis, so an absent bar never looks like a rendering fault.
            const h = count === 0 ? 1 : Math.max(1, (count / top) * plotHeight);
            const cx = x + barWidth / 2;
            parts.push(
                `<rect class="bar bar-${level}" data-level="${level}" data-export="${key}" data-count="${count}" ` +
                    `x="${r(x)}" y="${r(baseline - h)}" width="${barWidth}" height="${r(h)}" rx="2" fill="${riskLevelColors[level]}">` +
                    `<title>${escapeHtml(`${group.label} · ${levelTitles[level]}: ${formatCount(count)} users`)}</title></rect>`,
                `<text class="bar-count" data-level="${level}" x="${r(cx)}" y="${r(baseline - h - 5)}" text-anchor="middle" fill="#111827" font-size="11" font-weight="600">${escapeHtml(formatCount(count))}</text>`,
                `<text class="bar-level" data-level="${level}" x="${r(cx)}" y="${baseline + 14}" text-anchor="middle" fill="#374151" font-size="10.5">${escapeHtml(level)}</text>`,
            );
        });
        const center = gx + groupWidth / 2;
        parts.push(
            `<text class="group-label" x="${r(center)}" y="${baseline + 33}" text-anchor="middle" fill="#111827" font-weight="600">${escapeHtml(group.label)}</text>`,
        );
        if (group.sublabel !== undefined) {
            parts.push(
                `<text class="group-sublabel" x="${r(center)}" y="${baseline + 49}" text-anchor="middle" fill="#4b5563" font-size="11">${escapeHtml(group.sublabel)}</text>`,
            );
        }
        parts.push(`</g>`);
    });

    parts.push(`</svg>`);
    return parts.join("\n");
}
