import type { RiskSummaryFilters } from "../arguments/riskSummaryArgs";
import type { RiskUser } from "../model/riskUser";

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
    let high = 0;
    let medium = 0;
    for (const u of users) {
        if (u.maxRiskLevel === "high") high++;
        else if (u.maxRiskLevel === "medium") medium++;
    }
    return { total: users.length, high, medium, low: users.length - high - medium, accountTotal };
}
