import type { RiskLevel } from "../../provider/model/riskLevel";
import type { DigestCheck } from "./checkUsersDigest";
import type { ReportSummary, TrendKind } from "./riskReportModel";
import { compareStrings } from "../../provider/model/compareStrings";

/** The wording both renderers share, so the Markdown and HTML reports never say different things. */

export const reportTitle = "Cloudflare Zero Trust risk report";

export const levelTitles: Readonly<Record<RiskLevel, string>> = { high: "High", medium: "Medium", low: "Low" };

export const trendKindTitles: Readonly<Record<TrendKind, string>> = {
    escalated: "Escalated",
    deescalated: "De-escalated",
    appeared: "Appeared",
    left: "Left",
};

export const showSecretsHint = "export with --show-secrets";

export function digestStatusText(digest: DigestCheck): string {
    switch (digest.status) {
        case "verified":
            return "verified";
        case "mismatch":
            return "MISMATCH";
        case "encrypted":
            return `not checked: users are encrypted (${showSecretsHint})`;
        case "no-audit":
            return "no audit output";
    }
}

/** What follows the status: the evidence, or what to do. */
export function digestDetailText(digest: DigestCheck): string {
    switch (digest.status) {
        case "verified":
            return `the users hash to the audit's usersSha256 ${digest.sha256}`;
        case "mismatch":
            return `the audit's usersSha256 is ${digest.expected} but the users in the export hash to ${digest.actual}: they are not the users the deployment read`;
        case "encrypted":
            return "the SHA-256 of the users can only be recomputed from plaintext users";
        case "no-audit":
            return "the summary was read by a version of pulumi-cloudflare-risk without the audit output; upgrade it and run pulumi up to record one";
    }
}

const numberFormat = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
    return numberFormat.format(n);
}

export function formatDelta(n: number): string {
    return n > 0 ? `+${formatCount(n)}` : n < 0 ? `-${formatCount(-n)}` : "0";
}

/** Share of a total, one decimal; "0%" for an empty total. */
export function formatShare(n: number, total: number): string {
    return total === 0 ? "0%" : `${((100 * n) / total).toFixed(1)}%`;
}

/** `2025-01-31T10:58:44.727Z` → `2025-01-31 10:58 UTC`, for chart labels. */
export function formatShortTime(iso: string): string {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
    return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function filtersText(filters: Readonly<Record<string, unknown>>): string {
    const entries = Object.entries(filters).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "none";
    return entries
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.map(String).join(", ") : typeof v === "string" ? v : JSON.stringify(v)}`)
        .join("; ");
}

export function packageText(summary: ReportSummary): string {
    if (summary.packageVersion !== undefined) return `${summary.packageName ?? "pulumi-cloudflare-risk"} ${summary.packageVersion}`;
    return summary.auditState === "encrypted" ? `unknown (audit is encrypted: ${showSecretsHint})` : "unknown (no audit output)";
}

export function endpointText(summary: ReportSummary): string {
    if (summary.endpoint !== undefined) return summary.endpoint;
    return summary.auditState === "encrypted" ? `unknown (audit is encrypted: ${showSecretsHint})` : "unknown (no audit output)";
}

export function usersStateText(summary: ReportSummary): string {
    return summary.usersState === "plaintext"
        ? "plaintext (exported with --show-secrets)"
        : `encrypted (${showSecretsHint} for per-user details)`;
}

export function levelOrNone(level: RiskLevel | null): string {
    return level ?? "—";
}

export function trendEncryptedText(): string {
    return `Per-user changes need plaintext users in both exports: ${showSecretsHint} (pulumi stack export --show-secrets --file <file>). Only the counts are compared.`;
}

export function maskedEmailsNote(reveal: boolean): string {
    return reveal
        ? "Emails and names are shown in full (--reveal-emails): handle this report as personal data."
        : "Emails are masked and names left out; run with --reveal-emails to show them.";
}
