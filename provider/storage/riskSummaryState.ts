import type { RiskSummary } from "../summary/riskSummary";
import type { RiskSummaryAudit } from "../summary/audit";

/** What the provider stores in the state: the user list once (see storedRiskUsers.ts), plus what cannot be derived from it. */
export type RiskSummaryResourceOutputs = Pick<RiskSummary, "accountId" | "counts" | "fetchedAt" | "filters"> & {
    readonly users: string;
    readonly audit: RiskSummaryAudit;
};
