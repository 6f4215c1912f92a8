import { packageName, packageVersion } from "./packageVersion";
import type { RiskSummary, RiskSummaryCounts } from "./riskSummary";
import type { RiskSummaryFilters } from "../arguments/riskSummaryArgs";
import { riskUsersDigest } from "./digest";

/**
 * What a deployment saw, in a form fit for an audit trail: enough to prove later which data a
 * deployment acted on (by recomputing `usersSha256` from an export), with no personal data in it.
 */
export interface RiskSummaryAudit {
    readonly accountId: string;
    readonly fetchedAt: string;
    readonly counts: RiskSummaryCounts;
    readonly filters: RiskSummaryFilters;
    /** Hex SHA-256 of the canonical user list (see `canonicalRiskUsersJson`). */
    readonly usersSha256: string;
    /** The URL the summary was read from (never carries credentials). */
    readonly endpoint: string;
    readonly packageName: string;
    readonly packageVersion: string;
    /**
     * How the state keeps the users' emails and names: `secret` (encrypted, the default) or `plain`
     * (`secretPersonalData: false`). Absent when the read was not told, as in states written by 0.2.0 and before.
     */
    readonly personalData?: PersonalDataStorage;
}

export type PersonalDataStorage = "secret" | "plain";

export function buildRiskSummaryAudit(
    summary: Pick<RiskSummary, "accountId" | "users" | "counts" | "fetchedAt" | "filters">,
    endpoint: string,
    options: {
        readonly personalData?: PersonalDataStorage;
        /** The digest, when the caller has made the canonical JSON already (the provider stores it). */
        readonly usersSha256?: string;
    } = {},
): RiskSummaryAudit {
    const { personalData } = options;
    return {
        accountId: summary.accountId,
        fetchedAt: summary.fetchedAt,
        counts: summary.counts,
        filters: summary.filters,
        usersSha256: options.usersSha256 ?? riskUsersDigest(summary.users),
        endpoint,
        packageName,
        packageVersion: packageVersion(),
        ...(personalData === undefined ? {} : { personalData }),
    };
}
