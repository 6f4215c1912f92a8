export * from "./errors";
export * from "./riskSummarySchema";
export { type RiskUser, riskUserFieldNames, toRiskUser } from "./riskUser";
export { type RiskSummaryFilters, applyRiskSummaryFilters } from "./riskSummaryFilters";
export { type RiskSummary, type RiskSummaryCounts, type RiskUserViews, buildRiskSummary, deriveRiskUserViews } from "./riskSummary";
export { defaultBaseUrl } from "./riskSummaryArgs";
export { parseRiskSummaryPage } from "./parseRiskSummaryPage";
export {
    type FetchRiskSummaryOptions,
    type RiskSummaryClientOptions,
    type RiskSummaryCredentialOptions,
    fetchRiskSummary,
} from "./fetchRiskSummary";
