import type { Dispatcher } from "undici";
import { rejectUnknownArguments, riskSummaryArgumentNames } from "./unknownArguments";
import { argumentNames, environmentSource } from "./credentials";
import { fetchAccountRiskUsers } from "./fetchAccountRiskUsers";
import { resolveRequestSettings } from "./resolveRequestSettings";
import { RiskSummaryArgumentError } from "./errors";
import type { RequestLimiter } from "./requestLimiter";
import { type RiskSummary } from "./riskSummary";
import { buildRiskSummary } from "./buildRiskSummary";
import { describeValue, validateFilters } from "./riskSummaryArgs";
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
    /** Largest response body accepted, per request, in bytes (1 KiB to 1 GiB). Default 64 MiB. */
    readonly maxResponseBytes?: number;
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
    /**
     * Bounds requests in flight and per five minutes across calls; by default one limiter is shared by
     * every call in the process (8 at once, 1,200 per five minutes: Cloudflare's global rate limit).
     */
    readonly limiter?: RequestLimiter;
}

/**
 * Reads the account's risk summary: every page, validated, de-duplicated, filtered. Credentials come
 * from the options, then the environment. Rejects with a typed error; never with a credential in it.
 */
export async function fetchRiskSummary(options: FetchRiskSummaryOptions): Promise<RiskSummary> {
    if (options === null || typeof options !== "object") {
        throw new RiskSummaryArgumentError("options", `expected an object, got ${describeValue(options)}`, "Call fetchRiskSummary({ accountId, apiToken }).");
    }
    rejectUnknownArguments(options as unknown as Record<string, unknown>, [...riskSummaryArgumentNames, "dispatcher", "limiter"]);
    const filters = validateFilters(options);
    const settings = resolveRequestSettings(options.accountId, options, [{ values: options, names: argumentNames }, environmentSource()], options.dispatcher, options.limiter);
    const { users, fetchedAt } = await fetchAccountRiskUsers(settings);
    return buildRiskSummary(settings.accountId, users, filters, fetchedAt);
}
