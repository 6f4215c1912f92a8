/*
 * The package root: what Pulumi programs use. The report's programmatic API is the
 * `pulumi-cloudflare-risk/report` subpath; everything else is internal.
 */
export {
    type GetRiskSummaryArgs,
    type GetRiskSummaryOutputArgs,
    type GetRiskSummaryResult,
    getRiskSummary,
    getRiskSummaryOutput,
    resetRiskSummaryCalls,
} from "./sdk/getRiskSummary";
export { RiskSummaryResource, type RiskSummaryResourceArgs } from "./sdk/riskSummaryResource";
export { RiskTrend, type RiskTrendArgs, type RiskTrendSource } from "./sdk/riskTrend";
export { RiskGate, type RiskGateArgs } from "./sdk/riskGate";
export { type FetchRiskSummaryOptions, fetchRiskSummary } from "./summary/fetchRiskSummary";
export { RequestLimiter, type RequestLimits } from "./client/limiter";
export type { RiskSummary, RiskSummaryCounts } from "./summary/riskSummary";
export type { RiskUser } from "./model/riskUser";
export type { RiskLevel } from "./model/riskLevel";
export type { RiskSummaryFilters } from "./arguments/riskSummaryArguments";
export type { RiskSummaryAudit } from "./summary/audit";
export type { RiskLevelChange, RiskTrendCounts } from "./trend/trend";
export type { RiskGateMode, RiskGateRules, RiskGateViolation } from "./trend/gate";
export type { CloudflareMessage } from "./errors/cloudflareMessage";
export {
    CloudflareRiskError,
    RiskSummaryArgumentError,
    CloudflareApiError,
    CloudflareResponseError,
    CloudflareResponseTooLargeError,
    CloudflareRequestError,
    RiskSummaryValidationError,
    type ValidationIssue,
    IncompletePaginationError,
    InconsistentReadError,
    RiskGateError,
    RequestBudgetError,
    type RequestBudget,
    StoredStateError,
    RiskSummaryUsageError,
} from "./errors/errors";
