/** The module of this package's dynamic resources: their types are `cloudflare-risk:RiskSummary`, … */
export const resourceModule = "cloudflare-risk";

export type ResourceTypeName = "RiskSummary" | "RiskTrend" | "RiskGate";

/** The type token the engine gives a dynamic resource of this package, as stack exports show it. */
export function dynamicResourceType(name: ResourceTypeName): string {
    return `pulumi-nodejs:dynamic/${resourceModule}:${name}`;
}

export const riskSummaryResourceType = dynamicResourceType("RiskSummary");
