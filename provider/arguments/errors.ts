import { CloudflareRiskError } from "../errors/cloudflareRiskError";

/**
 * An argument of any of this package's functions and resources (getRiskSummary, RiskGate, RiskTrend, the
 * access rules), or the config/env value standing in for it, is missing or malformed. Raised before any
 * request. Named after the first function that raised it; the name is public, so it stays.
 */
export class RiskSummaryArgumentError extends CloudflareRiskError {
    override readonly code = "CFRISK_ARGUMENT";

    constructor(
        /** The argument at fault, e.g. `accountId` or `cloudflare:apiToken`. */
        readonly argument: string,
        readonly reason: string,
        readonly fix: string,
    ) {
        super(`Invalid argument "${argument}": ${reason}. ${fix}`);
    }
}
