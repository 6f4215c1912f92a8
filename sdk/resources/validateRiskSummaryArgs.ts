import { type RiskSummaryArgName, argumentsIn, validateArgs, riskSummaryArgNames } from "../../provider/arguments/riskSummaryArgs";
import { describeValue } from "../../provider/arguments/describeValue";
import { rejectUnknownArgs } from "../../provider/arguments/unknownArgs";
import { argumentNames, credentialsOf } from "../../provider/client/credentials";
import { RiskSummaryArgumentError } from "../../provider/arguments/errors";
import type { RiskSummaryArgs } from "../../provider/arguments/riskSummaryArgs";

const credentialNames: readonly RiskSummaryArgName[] = argumentsIn("credentials");
// Everything but the credentials (checked together below) and secretPersonalData (the resource passes it on itself).
const settingNames = riskSummaryArgNames.filter((name) => !credentialNames.includes(name) && name !== "secretPersonalData");

/**
 * Checks what the program can check before registering anything, so bad arguments fail `pulumi preview`
 * with the argument's name. Credentials from config or the environment are checked by the provider.
 */
export function validateRiskSummaryArgs(args: unknown): RiskSummaryArgs {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
        throw new RiskSummaryArgumentError("args", `expected an object, got ${describeValue(args)}`, "Pass { accountId } at least.");
    }
    const a = args as Record<string, unknown>;
    rejectUnknownArgs(a, riskSummaryArgNames);
    validateArgs(a, ["secretPersonalData"]);
    // Arguments alone may set no credential (config or the environment may): only their consistency is checked here.
    const credentials = credentialsOf({ values: a, names: argumentNames });
    return {
        ...validateArgs(a, settingNames),
        ...(credentials?.kind === "token" ? { apiToken: credentials.apiToken } : {}),
        ...(credentials?.kind === "key" ? { apiKey: credentials.apiKey, email: credentials.email } : {}),
    } as RiskSummaryArgs;
}
