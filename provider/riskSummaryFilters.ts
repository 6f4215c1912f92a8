import type { RiskLevel } from "./riskLevel";
import { type RiskUser, riskLevelRank } from "./riskUser";

/** Filters applied after the whole account was read, so counts can also report the unfiltered total. */
export interface RiskSummaryFilters {
    /** Keep users whose highest level is at least this one. */
    readonly minRiskLevel?: RiskLevel;
    /** Keep users whose last risk event is at or after this ISO 8601 date-time. */
    readonly lastEventSince?: string;
    /** Keep users whose email domain is one of these (case-insensitive, exact domain). */
    readonly emailDomains?: readonly string[];
}

export function emailDomain(email: string): string {
    return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

export function applyRiskSummaryFilters(users: readonly RiskUser[], filters: RiskSummaryFilters): RiskUser[] {
    if (filters.minRiskLevel === undefined && filters.lastEventSince === undefined && filters.emailDomains === undefined) return [...users];
    const minRank = filters.minRiskLevel === undefined ? 0 : riskLevelRank(filters.minRiskLevel);
    const since = filters.lastEventSince === undefined ? undefined : Date.parse(filters.lastEventSince);
    const domains = filters.emailDomains === undefined ? undefined : new Set(filters.emailDomains.map((d) => d.toLowerCase()));
    return users.filter(
        (u) =>
            riskLevelRank(u.maxRiskLevel) >= minRank &&
            (since === undefined || Date.parse(u.lastEvent) >= since) &&
            (domains === undefined || domains.has(emailDomain(u.email))),
    );
}
