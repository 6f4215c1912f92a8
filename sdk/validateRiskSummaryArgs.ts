import { rejectUnknownArguments, riskSummaryArgumentNames } from "../provider/unknownArguments";
import { argumentNames, credentialsOf } from "../provider/credentials";
import { RiskSummaryArgumentError } from "../provider/errors";
import {
    describeValue,
    validateAccountId,
    validateBaseUrl,
    validateFilters,
    validateClientOptions,
} from "../provider/riskSummaryArgs";
import type { RiskSummaryResourceInputs } from "../provider/riskSummaryResourceTypes";

/**
 * Checks what the program can check before registering anything, so bad arguments fail `pulumi preview`
 * with the argument's name. Credentials from config or the environment are checked by the provider.
 */
export function validateRiskSummaryArgs(args: unknown): RiskSummaryResourceInputs {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
        throw new RiskSummaryArgumentError("args", `expected an object, got ${describeValue(args)}`, "Pass { accountId } at least.");
    }
    const a = args as Record<string, unknown>;
    rejectUnknownArguments(a, [...riskSummaryArgumentNames, "secretPersonalData"]);
    // Arguments alone may set no credential (config or the environment may): only their consistency is checked here.
    const credentials = credentialsOf({ values: a, names: argumentNames });
    if (a.secretPersonalData !== undefined && typeof a.secretPersonalData !== "boolean") {
        throw new RiskSummaryArgumentError("secretPersonalData", `expected a boolean, got ${describeValue(a.secretPersonalData)}`, "Pass false to store emails and names in plain text, or leave it out.");
    }
    const inputs: Record<string, unknown> = {
        accountId: validateAccountId(a.accountId),
        ...validateFilters(a),
        apiToken: credentials?.kind === "token" ? credentials.apiToken : undefined,
        apiKey: credentials?.kind === "key" ? credentials.apiKey : undefined,
        email: credentials?.kind === "key" ? credentials.email : undefined,
        baseUrl: a.baseUrl === undefined ? undefined : validateBaseUrl(a.baseUrl),
        ...validateClientOptions(a),
    };
    for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
    return inputs as unknown as RiskSummaryResourceInputs;
}
