import type { RiskSummaryCounts } from "../../provider/summary/riskSummary";
import type { RiskLevel } from "../../provider/model/riskLevel";
import type { RiskLevelChange } from "../../provider/baseline/trend";
import type { DigestCheck } from "./checkUsersDigest";
import type { StackExportSummary } from "./readStackExport";

/**
 * What both renderers show, computed once. Emails are already masked here unless the report
 * reveals them, and names are absent unless it does: a renderer cannot leak what it never gets.
 */

/** Display order everywhere: the level that matters most first. */
export const reportLevels = ["high", "medium", "low"] as const satisfies readonly RiskLevel[];

export interface ReportUser {
    readonly userId: string;
    /** Masked (`a***@example.com`) unless emails are revealed. */
    readonly email: string;
    /** Only when emails are revealed. */
    readonly name?: string;
    readonly eventCount: number;
    readonly lastEvent: string;
    readonly level: RiskLevel;
}

export interface ReportSummary extends Pick<
    StackExportSummary,
    "urn" | "resourceName" | "stackName" | "accountId" | "fetchedAt" | "counts" | "filters"
> {
    readonly usersState: "plaintext" | "encrypted";
    readonly auditState: "present" | "encrypted" | "absent";
    /** From the audit output; undefined without one. */
    readonly packageName?: string;
    readonly packageVersion?: string;
    readonly endpoint?: string;
    readonly digest: DigestCheck;
    /** Most events first; undefined when the users are encrypted. */
    readonly highRiskUsers?: readonly ReportUser[];
}

export interface ReportExport {
    /** 1-based position in the report's order. */
    readonly number: number;
    readonly file: string;
    /** The latest `fetchedAt` of its summaries: the order of the exports. */
    readonly fetchedAt: string;
    readonly summaries: readonly ReportSummary[];
}

/** One summary as seen in one export. */
export interface ReportPoint {
    readonly exportNumber: number;
    readonly file: string;
    readonly fetchedAt: string;
    readonly counts: RiskSummaryCounts;
}

export const trendKinds = ["escalated", "deescalated", "appeared", "left"] as const;
export type TrendKind = (typeof trendKinds)[number];

/** A user's move between two exports; the email is masked unless emails are revealed. */
export type ReportChange = RiskLevelChange;

export interface ReportChangeGroup {
    readonly kind: TrendKind;
    /** Sorted by user id. */
    readonly changes: readonly ReportChange[];
    /** The first emails of the group as one line (masked unless revealed). */
    readonly emailList: string;
}

export interface ReportTrend {
    readonly from: ReportPoint;
    readonly to: ReportPoint;
    /** `to` minus `from`, per count. */
    readonly deltas: RiskSummaryCounts;
    /** The resource's filters differ between the two exports, so users may have entered or left them. */
    readonly filtersChanged: boolean;
    /** Per-user changes; undefined when either export has encrypted users. */
    readonly changes?: readonly ReportChangeGroup[];
}

/** One RiskSummary resource (by URN) across the exports that hold it. */
export interface ReportSeries {
    readonly urn: string;
    readonly resourceName: string;
    readonly stackName: string;
    /** In export order. */
    readonly points: readonly ReportPoint[];
    /** Between consecutive points. */
    readonly trends: readonly ReportTrend[];
    /** The summary in the last export that holds it. */
    readonly latest: ReportSummary;
    readonly latestExportNumber: number;
}

export interface DigestTally {
    readonly verified: number;
    readonly mismatch: number;
    readonly encrypted: number;
    readonly noAudit: number;
}

export interface RiskReport {
    readonly generatedAt: string;
    readonly generator: { readonly name: string; readonly version: string };
    readonly revealEmails: boolean;
    readonly exports: readonly ReportExport[];
    readonly series: readonly ReportSeries[];
    readonly digests: DigestTally;
}
