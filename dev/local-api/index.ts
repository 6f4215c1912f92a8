/** Public API of the embedded Cloudflare-compatible risk scoring server. */
export {
    startLocalCloudflareApi,
    defaultAccountId,
    apiPathPrefix,
    type LocalCloudflareApi,
    type LocalCloudflareApiOptions,
} from "./localCloudflareApi";
export { defaultLocalCredentials, type LocalCredentials, type AuthScheme } from "./credentials";
export {
    generateRiskDataset,
    withRiskLevel,
    eventCountRanges,
    riskDatasetReferenceDate,
    defaultDatasetSize,
    defaultDatasetSeed,
    defaultEmailDomains,
    type RiskDatasetOptions,
} from "./riskDataset";
export { seededRandom, type SeededRandom } from "./seededRandom";
export { scriptedFailureSchema, scriptedFailureListSchema, type ScriptedFailure } from "./scriptedFailures";
export { scriptedDriftSchema, scriptedDriftListSchema, driftUser, type ScriptedDrift } from "./scriptedDrift";
export { LocalApiNotFoundError, driftBodySchema } from "./controlRoutes";
export { serverDefaultPerPage, maxPerPage } from "./paging";
export type { RequestLogEntry } from "./requestLog";
