import { debuglog } from "node:util";
import type { Dispatcher } from "undici";
import { type CredentialSource, authHeaders, resolveBaseUrl, resolveCredentials } from "./credentials";
import type { AccountRequestSettings } from "./pages";
import type { RiskSummaryClientOptions } from "../arguments/riskSummaryArgs";
import { type RequestLimiter, sharedRequestLimiter } from "./limiter";
import { defaultRetryPolicy } from "./retry";
import { defaultConcurrency, defaultMaxResponseBytes, defaultMaxRetries, defaultTimeoutMs } from "../arguments/defaults";
import { validateAccountId } from "../arguments/checks";
import { validateClientOptions } from "../arguments/riskSummaryArgs";

// `NODE_DEBUG=cloudflare-risk` prints what a read decided on its own, to stderr.
const debug = debuglog("cloudflare-risk");
const debugMessage = (message: string): void => debug("%s", message);

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
        debug: debugMessage,
    };
}
