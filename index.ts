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
} from "./sdk/resources/getRiskSummary";
export { RiskSummaryResource, type RiskSummaryResourceArgs } from "./sdk/resources/riskSummaryResource";
export { RiskTrend, type RiskTrendArgs, type RiskTrendSource } from "./sdk/resources/riskTrend";
export { RiskGate, type RiskGateArgs } from "./sdk/resources/riskGate";
export { type FetchRiskSummaryOptions, fetchRiskSummary } from "./provider/summary/fetchRiskSummary";
export { RequestLimiter, type RequestLimits } from "./provider/client/limiter";
export type { RiskSummary, RiskSummaryCounts } from "./provider/summary/riskSummary";
export type { RiskUser } from "./provider/model/riskUser";
export type { RiskLevel } from "./provider/model/riskLevel";
export type { RiskSummaryFilters } from "./provider/arguments/riskSummaryArgs";
export type { RiskSummaryAudit } from "./provider/summary/audit";
export type { RiskLevelChange, RiskTrendCounts } from "./provider/baseline/trend";
export type { RiskGateMode, RiskGateRules, RiskGateViolation } from "./provider/baseline/gate";
export type { CloudflareMessage } from "./provider/errors/cloudflareMessage";
export { CloudflareRiskError } from "./provider/errors/cloudflareRiskError";
export { RiskSummaryArgumentError } from "./provider/arguments/errors";
export {
    CloudflareApiError,
    CloudflareResponseError,
    CloudflareResponseTooLargeError,
    CloudflareRequestError,
    RiskSummaryValidationError,
    type ValidationIssue,
    IncompletePaginationError,
    InconsistentReadError,
    RequestBudgetError,
    type RequestBudget,
} from "./provider/client/errors";
export { RiskGateError } from "./provider/baseline/errors";
export { StoredStateError } from "./provider/storage/errors";
export { RiskSummaryUsageError } from "./provider/dynamic/errors";
