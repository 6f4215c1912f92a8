import { CloudflareRiskError } from "../errors/cloudflareRiskError";

/** The package was used in a way it does not support, e.g. a RiskSummary created outside the SDK. */
export class RiskSummaryUsageError extends CloudflareRiskError {
    override readonly code = "CFRISK_USAGE";
}
