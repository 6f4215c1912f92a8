import { type RiskSummary, countRiskUsers, deriveRiskUserViews } from "./riskSummary";
import { type RiskSummaryFilters } from "../arguments/riskSummaryArgs";
import { applyRiskSummaryFilters } from "./filters";
import type { WireRiskUser } from "../client/schema";
import { type RiskUser, byEmailThenId } from "../model/riskUser";
import { toRiskUser } from "./toRiskUser";

/** Sorted so that the same account yields the same summary whatever order the pages arrived in. */
export function selectRiskUsers(wireUsers: readonly WireRiskUser[], filters: RiskSummaryFilters): RiskUser[] {
    return applyRiskSummaryFilters(wireUsers.map(toRiskUser), filters).sort(byEmailThenId);
}

export function buildRiskSummary(
    accountId: string,
    wireUsers: readonly WireRiskUser[],
    filters: RiskSummaryFilters,
    fetchedAt: Date,
): RiskSummary {
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
