import { listEmails, maskEmail } from "../../provider/summary/maskEmail";
import { packageName, packageVersion } from "../../provider/summary/packageVersion";
import type { RiskSummaryCounts } from "../../provider/summary/riskSummary";
import { type RiskLevelChange, compareRiskLevels, riskLevelEntriesOf } from "../../provider/baseline/trend";
import type { RiskUser } from "../../provider/model/riskUser";
import { checkUsersDigest } from "./checkUsersDigest";
import type { StackExport, StackExportSummary } from "./readStackExport";
import { RiskReportError } from "./errors";
import {
    type DigestTally,
    type ReportChangeGroup,
    type ReportExport,
    type ReportPoint,
    type ReportSeries,
    type ReportSummary,
    type ReportTrend,
    type ReportUser,
    type RiskReport,
    trendKinds,
} from "./riskReportModel";
import { compareStrings } from "../../provider/model/compareStrings";

export interface BuildRiskReportOptions {
    /** Show emails and names in full (default: masked emails, no names). */
    readonly revealEmails?: boolean;
    /** The report's time (default: now). */
    readonly now?: Date;
    /** Emails listed on a trend's one-line summaries before "and N more" (default 5). */
    readonly emailListLimit?: number;
}

function latestFetchedAt(exp: StackExport): number {
    return Math.max(...exp.summaries.map((s) => Date.parse(s.fetchedAt)));
}

function reportUser(user: RiskUser, reveal: boolean): ReportUser {
    return {
        userId: user.userId,
        email: reveal ? user.email : maskEmail(user.email),
        ...(reveal ? { name: user.name } : {}),
        eventCount: user.eventCount,
        lastEvent: user.lastEvent,
        level: user.maxRiskLevel,
    };
}

/** Most events first, then the most recent event, then id: the users to look at first lead the list. */
function byEventsThenRecency(a: ReportUser, b: ReportUser): number {
    if (a.eventCount !== b.eventCount) return b.eventCount - a.eventCount;
    if (a.lastEvent !== b.lastEvent) return Date.parse(b.lastEvent) - Date.parse(a.lastEvent);
    return compareStrings(a.userId, b.userId);
}

function reportSummary(s: StackExportSummary, reveal: boolean): ReportSummary {
    const audit = s.audit.state === "present" ? s.audit.audit : undefined;
    return {
        urn: s.urn,
        resourceName: s.resourceName,
        stackName: s.stackName,
        accountId: s.accountId,
        fetchedAt: s.fetchedAt,
        counts: s.counts,
        filters: s.filters,
        usersState: s.users.state,
        auditState: s.audit.state,
        ...(audit === undefined ? {} : { packageName: audit.packageName, packageVersion: audit.packageVersion, endpoint: audit.endpoint }),
        digest: checkUsersDigest(s.users, s.audit),
        ...(s.users.state === "plaintext"
            ? {
                  highRiskUsers: s.users.list
                      .filter((u) => u.maxRiskLevel === "high")
                      .map((u) => reportUser(u, reveal))
                      .sort(byEventsThenRecency),
              }
            : {}),
    };
}

function countDeltas(from: RiskSummaryCounts, to: RiskSummaryCounts): RiskSummaryCounts {
    return {
        total: to.total - from.total,
        high: to.high - from.high,
        medium: to.medium - from.medium,
        low: to.low - from.low,
        accountTotal: to.accountTotal - from.accountTotal,
    };
}

/** Filters compared regardless of key order. */
function sameFilters(a: object, b: object): boolean {
    const canonical = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => compareStrings(x, y)));
    return canonical(a) === canonical(b);
}

function trendOf(
    from: { point: ReportPoint; summary: StackExportSummary },
    to: { point: ReportPoint; summary: StackExportSummary },
    reveal: boolean,
    limit: number,
): ReportTrend {
    const base = {
        from: from.point,
        to: to.point,
        deltas: countDeltas(from.summary.counts, to.summary.counts),
        filtersChanged: !sameFilters(from.summary.filters, to.summary.filters),
    };
    const before = from.summary.users;
    const after = to.summary.users;
    if (before.state !== "plaintext" || after.state !== "plaintext") return base;
    const changes = compareRiskLevels(riskLevelEntriesOf(before.list), riskLevelEntriesOf(after.list));
    const group = (kind: (typeof trendKinds)[number], list: readonly RiskLevelChange[]): ReportChangeGroup => ({
        kind,
        changes: list.map((c) => ({ userId: c.userId, email: reveal ? c.email : maskEmail(c.email), from: c.from, to: c.to })),
        emailList: listEmails(
            list.map((c) => c.email),
            reveal,
            limit,
        ),
    });
    return {
        ...base,
        changes: [
            group("escalated", changes.escalated),
            group("deescalated", changes.deescalated),
            group("appeared", changes.appeared),
            group("left", changes.left),
        ],
    };
}

/**
 * The report's model: exports in the order their summaries were read, each summary's digest check,
 * and each resource's trend from one export to the next.
 */
export function buildRiskReport(stackExports: readonly StackExport[], options: BuildRiskReportOptions = {}): RiskReport {
    const reveal = options.revealEmails ?? false;
    const limit = options.emailListLimit ?? 5;
    const empty = stackExports.find((e) => e.summaries.length === 0);
    if (empty !== undefined)
        throw new RiskReportError(
            `${empty.file}: no RiskSummary resource to report on. Read exports with readStackExportFile, which rejects such files.`,
        );
    // Stable: exports read at the same time keep the order they were given in.
    const ordered = stackExports
        .map((exp, given) => ({ exp, given }))
        .sort((a, b) => latestFetchedAt(a.exp) - latestFetchedAt(b.exp) || a.given - b.given);

    const reportExports: ReportExport[] = [];
    const byUrn = new Map<string, { summary: StackExportSummary; report: ReportSummary; point: ReportPoint }[]>();
    ordered.forEach(({ exp }, i) => {
        const number = i + 1;
        const summaries = exp.summaries.map((s) => reportSummary(s, reveal));
        reportExports.push({ number, file: exp.file, fetchedAt: new Date(latestFetchedAt(exp)).toISOString(), summaries });
        exp.summaries.forEach((summary, j) => {
            const point: ReportPoint = { exportNumber: number, file: exp.file, fetchedAt: summary.fetchedAt, counts: summary.counts };
            const list = byUrn.get(summary.urn) ?? [];
            list.push({ summary, report: summaries[j] as ReportSummary, point });
            byUrn.set(summary.urn, list);
        });
    });

    const series: ReportSeries[] = [];
    for (const [urn, seen] of byUrn) {
        const last = seen[seen.length - 1]!;
        const trends: ReportTrend[] = [];
        for (let k = 1; k < seen.length; k++) trends.push(trendOf(seen[k - 1]!, seen[k]!, reveal, limit));
        series.push({
            urn,
            resourceName: last.summary.resourceName,
            stackName: last.summary.stackName,
            points: seen.map((s) => s.point),
            trends,
            latest: last.report,
            latestExportNumber: last.point.exportNumber,
        });
    }
    series.sort((a, b) => compareStrings(a.resourceName, b.resourceName) || compareStrings(a.urn, b.urn));

    const all = reportExports.flatMap((e) => e.summaries);
    const tally = (status: ReportSummary["digest"]["status"]) => all.filter((s) => s.digest.status === status).length;
    const digests: DigestTally = {
        verified: tally("verified"),
        mismatch: tally("mismatch"),
        encrypted: tally("encrypted"),
        noAudit: tally("no-audit"),
    };

    return {
        generatedAt: (options.now ?? new Date()).toISOString(),
        generator: { name: packageName, version: packageVersion() },
        revealEmails: reveal,
        exports: reportExports,
        series,
        digests,
    };
}
