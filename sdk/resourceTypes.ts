/** The type token the engine gives a `RiskSummaryResource` (a dynamic resource of type "cloudflare-risk:RiskSummary"). */
export const riskSummaryResourceType = "pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary";
