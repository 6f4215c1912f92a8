import { CloudflareRiskError } from "../../provider/errors/cloudflareRiskError";

/** The risky users would need more Zero Trust lists than the account allows; raised at preview, before any list is created. */
export class RiskAccessLimitError extends CloudflareRiskError {
    override readonly code = "CFRISK_ACCESS_LIMIT";

    constructor(
        /** The users the rules must cover. */
        readonly emails: number,
        /** The lists they need at `listEntryLimit` entries each. */
        readonly listsNeeded: number,
        /** The lists allowed (`maxLists`). */
        readonly maxLists: number,
        message: string,
    ) {
        super(message);
    }
}
