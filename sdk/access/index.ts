/**
 * `pulumi-cloudflare-risk/access`: Access rules for risky users within Cloudflare's limits. Needs
 * `@pulumi/cloudflare` (an optional peer dependency, loaded only by this entry point).
 */
export { RiskAccessRules, type RiskAccessRulesArgs, type RiskAccessRule } from "./riskAccessRules";
export { RiskAccessLimitError } from "./errors";
