import { CloudflareRiskError } from "../../provider/errors/cloudflareRiskError";

/** The command line itself is wrong (unknown command or option, missing argument): exit status 2. */
export class CliUsageError extends CloudflareRiskError {
    override readonly code = "CFRISK_CLI_USAGE";

    constructor(
        message: string,
        /** The help to point at, e.g. `pulumi-cloudflare-risk report --help`. */
        readonly helpCommand: string,
    ) {
        super(message);
    }
}
