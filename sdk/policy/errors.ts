import { CloudflareRiskError } from "../../provider/errors/cloudflareRiskError";

/** A policy could not read the account's risk data; the policy then fails closed with this message. */
export class RiskPolicyReadError extends CloudflareRiskError {
    override readonly code: string = "CFRISK_POLICY_READ";
}
