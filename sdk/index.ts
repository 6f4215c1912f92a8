export {
    type GetRiskSummaryArgs,
    type GetRiskSummaryOutputArgs,
    type GetRiskSummaryResult,
    getRiskSummary,
    getRiskSummaryOutput,
    resetRiskSummaryCalls,
} from "./getRiskSummary";
export { RiskSummaryResource, type RiskSummaryResourceArgs } from "./riskSummaryResource";
