import { CloudflareRiskError } from "../errors/cloudflareRiskError";

/** A value this package stored in the state (a compressed list) cannot be read back. */
export class StoredStateError extends CloudflareRiskError {
    override readonly code = "CFRISK_STORED_STATE";
}
