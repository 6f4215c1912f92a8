export * from "./errors";
export { type RiskLevel, riskLevels } from "./riskLevel";
export type { CloudflareMessage } from "./cloudflareMessage";
export type { RiskUser } from "./riskUser";
export { type RiskSummaryFilters, applyRiskSummaryFilters } from "./riskSummaryFilters";
export { type RiskSummary, type RiskSummaryCounts, type RiskUserViews, deriveRiskUserViews } from "./riskSummary";
export { defaultBaseUrl } from "./riskSummaryArgs";
export {
    type FetchRiskSummaryOptions,
    type RiskSummaryClientOptions,
    type RiskSummaryCredentialOptions,
    fetchRiskSummary,
} from "./fetchRiskSummary";
export { type RiskSummaryAudit, buildRiskSummaryAudit } from "./riskSummaryAudit";
export { canonicalRiskUsersJson, riskUsersDigest } from "./riskUsersDigest";
export { type RiskLevelEntry, type RiskLevelChange, type RiskTrendChanges, type RiskTrendCounts, compareRiskLevels, countRiskTrend, riskLevelEntriesOf } from "./riskTrend";
export {
    type RiskGateRules,
    type RiskGateRuleName,
    type RiskGateMode,
    type RiskGateViolation,
    evaluateRiskGate,
    riskGateFailureMessage,
    validateRiskGateRules,
} from "./riskGate";
export { maskEmail } from "./maskEmail";
export { type RiskTrendRecord } from "./riskTrendResourceTypes";
export { RequestLimiter, type RequestLimits, setSharedRequestLimits } from "./requestLimiter";
