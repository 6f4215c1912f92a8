import { RiskSummaryArgumentError } from "../provider/errors";
import {
    describeValue,
    validateAccountId,
    validateBaseUrl,
    validateFilters,
    validateHeaderValue,
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
    const apiToken = validateHeaderValue(a.apiToken, "apiToken");
    const apiKey = validateHeaderValue(a.apiKey, "apiKey");
    const email = validateHeaderValue(a.email, "email");
    if (apiToken !== undefined && (apiKey !== undefined || email !== undefined)) {
        throw new RiskSummaryArgumentError("apiToken", "both an API token and a Global API key (apiKey/email) are set", "Pass only one: apiToken (preferred), or apiKey with email.");
    }
    if ((apiKey === undefined) !== (email === undefined)) {
        const missing = apiKey === undefined ? "apiKey" : "email";
        throw new RiskSummaryArgumentError(missing, "a Global API key needs both the key and the account email", `Pass ${missing} too, or use apiToken instead.`);
    }
    if (a.secretPersonalData !== undefined && typeof a.secretPersonalData !== "boolean") {
        throw new RiskSummaryArgumentError("secretPersonalData", `expected a boolean, got ${describeValue(a.secretPersonalData)}`, "Pass false to store emails and names in plain text, or leave it out.");
    }
    const inputs: Record<string, unknown> = {
        accountId: validateAccountId(a.accountId),
        ...validateFilters(a),
        apiToken,
        apiKey,
        email,
        baseUrl: a.baseUrl === undefined ? undefined : validateBaseUrl(a.baseUrl),
        ...validateClientOptions(a),
    };
    for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
    return inputs as unknown as RiskSummaryResourceInputs;
}
