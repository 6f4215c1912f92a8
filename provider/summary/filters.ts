import type { RiskSummaryFilters } from "../arguments/riskSummaryArgs";
import { type RiskUser, riskLevelRank } from "../model/riskUser";

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
