import type { Dispatcher } from "undici";
import { type CredentialSource, authHeaders, resolveBaseUrl, resolveCredentials } from "./credentials";
import type { AccountRequestSettings } from "./fetchAccountRiskUsers";
import type { RiskSummaryClientOptions } from "./fetchRiskSummary";
import { type RequestLimiter, sharedRequestLimiter } from "./requestLimiter";
import { defaultRetryPolicy } from "./retryPolicy";
import { defaultConcurrency, defaultMaxResponseBytes, defaultMaxRetries, defaultTimeoutMs, validateAccountId, validateClientOptions } from "./riskSummaryArgs";

/** Validates the client settings; shared with the dynamic provider so both reject the same input. */
export function resolveRequestSettings(
    accountId: unknown,
    options: RiskSummaryClientOptions,
    sources: readonly CredentialSource[],
    dispatcher?: Dispatcher,
    limiter: RequestLimiter = sharedRequestLimiter(),
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
        maxResponseBytes: client.maxResponseBytes ?? defaultMaxResponseBytes,
        retry: { ...defaultRetryPolicy, maxRetries: client.maxRetries ?? defaultMaxRetries },
        dispatcher,
        limiter,
    };
}
