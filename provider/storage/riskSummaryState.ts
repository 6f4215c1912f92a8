import type { RiskSummaryArguments } from "../arguments/riskSummaryArguments";
import type { RiskSummary } from "../summary/riskSummary";
import type { RiskSummaryAudit } from "../summary/audit";

/**
 * What the SDK sends to the dynamic provider, as resolved plain values. Credentials are secret inputs;
 * `secretPersonalData` only tells the provider what to record in the audit (the SDK makes the users secret).
 */
export type RiskSummaryResourceInputs = RiskSummaryArguments;

/** What the provider stores in the state: the user list once (see storedRiskUsers.ts), plus what cannot be derived from it. */
export type RiskSummaryResourceOutputs = Pick<RiskSummary, "accountId" | "counts" | "fetchedAt" | "filters"> & {
    readonly users: string;
    readonly audit: RiskSummaryAudit;
};
