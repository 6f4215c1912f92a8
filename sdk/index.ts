export {
    type GetRiskSummaryArgs,
    type GetRiskSummaryOutputArgs,
    type GetRiskSummaryResult,
    getRiskSummary,
    getRiskSummaryOutput,
    resetRiskSummaryCalls,
} from "./getRiskSummary";
export { RiskSummaryResource, type RiskSummaryResourceArgs } from "./riskSummaryResource";
export { RiskTrend, type RiskTrendArgs, type RiskTrendSource, RiskBaselineResource } from "./riskTrendResource";
export { RiskGate, type RiskGateArgs } from "./riskGate";
