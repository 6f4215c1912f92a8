import { type RiskSummaryFilters, applyRiskSummaryFilters } from "./riskSummaryFilters";
import type { WireRiskUser } from "./riskSummarySchema";
import { type RiskUser, byEmailThenId, toRiskUser } from "./riskUser";

export interface RiskSummaryCounts {
    /** Users returned, after filters. */
    readonly total: number;
    readonly high: number;
    readonly medium: number;
    readonly low: number;
    /** Users the account had before filters were applied. */
    readonly accountTotal: number;
}

/** What the SDK derives from a user list: per-level lists, Access-ready emails and counts. */
export interface RiskUserViews {
    readonly highRiskUsers: RiskUser[];
    readonly mediumRiskUsers: RiskUser[];
    readonly lowRiskUsers: RiskUser[];
    /** Lower-cased, unique and sorted, so that a policy built from them only changes when the set does. */
    readonly highRiskEmails: string[];
}

export interface RiskSummary extends RiskUserViews {
    readonly accountId: string;
    /** Every user kept by the filters, sorted by email. */
    readonly users: RiskUser[];
    readonly counts: RiskSummaryCounts;
    /** When the summary was read from Cloudflare (ISO 8601). */
    readonly fetchedAt: string;
    /** The filters that were applied, normalized. */
    readonly filters: RiskSummaryFilters;
}

export function deriveRiskUserViews(users: readonly RiskUser[]): RiskUserViews {
    const byLevel: Record<RiskUser["maxRiskLevel"], RiskUser[]> = { high: [], medium: [], low: [] };
    for (const user of users) byLevel[user.maxRiskLevel].push(user);
    return {
        highRiskUsers: byLevel.high,
        mediumRiskUsers: byLevel.medium,
        lowRiskUsers: byLevel.low,
        highRiskEmails: [...new Set(byLevel.high.map((u) => u.email.toLowerCase()))].sort(),
    };
}

export function countRiskUsers(users: readonly RiskUser[], accountTotal: number): RiskSummaryCounts {
    const counts = { total: users.length, high: 0, medium: 0, low: 0, accountTotal };
    for (const u of users) counts[u.maxRiskLevel]++;
    return counts;
}

/** Sorted so that the same account yields the same summary whatever order the pages arrived in. */
export function selectRiskUsers(wireUsers: readonly WireRiskUser[], filters: RiskSummaryFilters): RiskUser[] {
    return applyRiskSummaryFilters(wireUsers.map(toRiskUser), filters).sort(byEmailThenId);
}

export function buildRiskSummary(accountId: string, wireUsers: readonly WireRiskUser[], filters: RiskSummaryFilters, fetchedAt: Date): RiskSummary {
    const users = selectRiskUsers(wireUsers, filters);
    return {
        accountId,
        users,
        ...deriveRiskUserViews(users),
        counts: countRiskUsers(users, wireUsers.length),
        fetchedAt: fetchedAt.toISOString(),
        filters,
    };
}
