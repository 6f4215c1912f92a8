import { CloudflareRiskError } from "../errors/cloudflareRiskError";

/** A deployment gate's rule was broken; raised by the gate in "enforce" mode, before anything it guards is deployed. */
export class RiskGateError extends CloudflareRiskError {
    override readonly code = "CFRISK_GATE";

    constructor(
        readonly gate: string,
        /** The names of the rules that were broken, e.g. `maxHighRiskUsers`. */
        readonly rules: readonly string[],
        message: string,
    ) {
        super(message);
    }
}
