import type { RiskSummaryClientOptions, RiskSummaryCredentialOptions } from "./fetchRiskSummary";
import type { RiskSummary } from "./riskSummary";
import type { RiskSummaryAudit } from "./riskSummaryAudit";
import type { RiskSummaryFilters } from "./riskSummaryFilters";

/** What the SDK sends to the dynamic provider, as resolved plain values. Credentials are secret inputs. */
export interface RiskSummaryResourceInputs extends RiskSummaryFilters, RiskSummaryClientOptions, RiskSummaryCredentialOptions {
    readonly accountId: string;
}

/** What the provider stores in the state: the user list once (see storedRiskUsers.ts), plus what cannot be derived from it. */
export type RiskSummaryResourceOutputs = Pick<RiskSummary, "accountId" | "counts" | "fetchedAt" | "filters"> & {
    readonly users: string;
    readonly audit: RiskSummaryAudit;
};
