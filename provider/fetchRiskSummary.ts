import type { Dispatcher } from "undici";
import { type CredentialSource, argumentNames, authHeaders, environmentSource, resolveBaseUrl, resolveCredentials } from "./credentials";
import { fetchAccountRiskUsers, type AccountRequestSettings } from "./fetchAccountRiskUsers";
import { RiskSummaryArgumentError } from "./errors";
import { defaultRetryPolicy } from "./retryPolicy";
import { buildRiskSummary, type RiskSummary } from "./riskSummary";
import {
    defaultConcurrency,
    defaultMaxRetries,
    defaultTimeoutMs,
    describeValue,
    validateAccountId,
    validateFilters,
    validateClientOptions,
} from "./riskSummaryArgs";
import type { RiskSummaryFilters } from "./riskSummaryFilters";

/** Client settings shared by `fetchRiskSummary` and the Pulumi functions. */
export interface RiskSummaryClientOptions {
    /** Overall deadline of the whole read, retries and pages included. Default 60000. */
    readonly timeoutMs?: number;
    /** Retries of 429, 5xx and connection errors per request. Default 3. */
    readonly maxRetries?: number;
    /** Pages requested at once. Default 8. */
    readonly concurrency?: number;
    /** `per_page` to ask for; by default the server's own page size is used. */
    readonly perPage?: number;
}

export interface RiskSummaryCredentialOptions {
    /** API token (preferred). Falls back to `CLOUDFLARE_API_TOKEN`. */
    readonly apiToken?: string;
    /** Global API key, with `email`. Falls back to `CLOUDFLARE_API_KEY`. */
    readonly apiKey?: string;
    /** Account email for the Global API key. Falls back to `CLOUDFLARE_EMAIL`. */
    readonly email?: string;
    /** API base URL. Falls back to `CLOUDFLARE_BASE_URL`, then `https://api.cloudflare.com/client/v4`. */
    readonly baseUrl?: string;
}

export interface FetchRiskSummaryOptions extends RiskSummaryFilters, RiskSummaryClientOptions, RiskSummaryCredentialOptions {
    /** Cloudflare account id: 32 hexadecimal characters. */
    readonly accountId: string;
    /** undici dispatcher to send requests through (a proxy agent, or a `MockAgent` in tests). */
    readonly dispatcher?: Dispatcher;
}

/** Validates the client settings; shared with the dynamic provider so both reject the same input. */
export function resolveRequestSettings(
    accountId: unknown,
    options: RiskSummaryClientOptions,
    sources: readonly CredentialSource[],
    dispatcher?: Dispatcher,
): AccountRequestSettings {
    const validAccountId = validateAccountId(accountId);
    const baseUrl = resolveBaseUrl(sources);
    const credentials = resolveCredentials(sources);
    const client = validateClientOptions(options);
    return {
        accountId: validAccountId,
        baseUrl,
        headers: authHeaders(credentials),
        timeoutMs: client.timeoutMs ?? defaultTimeoutMs,
        concurrency: client.concurrency ?? defaultConcurrency,
        perPage: client.perPage,
        retry: { ...defaultRetryPolicy, maxRetries: client.maxRetries ?? defaultMaxRetries },
        dispatcher,
    };
}

/**
 * Reads the account's risk summary: every page, validated, de-duplicated, filtered. Credentials come
 * from the options, then the environment. Rejects with a typed error; never with a credential in it.
 */
export async function fetchRiskSummary(options: FetchRiskSummaryOptions): Promise<RiskSummary> {
    if (options === null || typeof options !== "object") {
        throw new RiskSummaryArgumentError("options", `expected an object, got ${describeValue(options)}`, "Call fetchRiskSummary({ accountId, apiToken }).");
    }
    const filters = validateFilters(options);
    const settings = resolveRequestSettings(options.accountId, options, [{ values: options, names: argumentNames }, environmentSource()], options.dispatcher);
    const { users, fetchedAt } = await fetchAccountRiskUsers(settings);
    return buildRiskSummary(settings.accountId, users, filters, fetchedAt);
}
