import { setTimeout as sleep } from "node:timers/promises";
import { type Dispatcher, request } from "undici";
import { CloudflareRequestError } from "./errors";
import { type RetryPolicy, backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retryPolicy";

export interface CloudflareResponse {
    readonly status: number;
    readonly contentType: string;
    readonly body: string;
    readonly attempts: number;
}

export interface CloudflareGetOptions {
    readonly url: URL;
    /** Path and query only: what error messages may show. */
    readonly requestPath: string;
    readonly headers: Record<string, string>;
    /** Epoch milliseconds by which the whole operation, retries included, must be over. */
    readonly deadline: number;
    readonly retry: RetryPolicy;
    readonly dispatcher?: Dispatcher;
}

function describeCause(error: unknown): string {
    if (error instanceof Error) {
        const code = (error as { code?: unknown }).code;
        return typeof code === "string" ? `${code}: ${error.message}` : error.message;
    }
    return String(error);
}

function deadlineError(requestPath: string, attempts: number, cause?: unknown): CloudflareRequestError {
    return new CloudflareRequestError(
        `GET ${requestPath} did not complete before the deadline (\`timeoutMs\`) after ${attempts} attempts. Raise \`timeoutMs\` or check the network.`,
        attempts,
        requestPath,
        { cause },
    );
}

/**
 * GET with retries on 429, 5xx and connection errors, within one deadline. Non-retryable statuses and
 * the last retryable one are returned to the caller, which turns them into the right typed error.
 */
export async function cloudflareGet(options: CloudflareGetOptions): Promise<CloudflareResponse> {
    const { url, requestPath, headers, deadline, retry, dispatcher } = options;
    for (let attempt = 0; ; attempt++) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            throw deadlineError(requestPath, attempt);
        }
        let retryAfterMs: number | undefined;
        let failure: string;
        let cause: unknown;
        try {
            const response = await request(url, {
                method: "GET",
                headers: { accept: "application/json", ...headers },
                dispatcher,
                signal: AbortSignal.timeout(remaining),
                headersTimeout: remaining,
                bodyTimeout: remaining,
            });
            const body = await response.body.text();
            const contentType = String(response.headers["content-type"] ?? "");
            if (!isRetryableStatus(response.statusCode) || attempt >= retry.maxRetries) {
                return { status: response.statusCode, contentType, body, attempts: attempt + 1 };
            }
            const retryAfter = response.headers["retry-after"];
            retryAfterMs = parseRetryAfterMs(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now());
            failure = `HTTP ${response.statusCode}`;
        } catch (error) {
            if (Date.now() >= deadline) throw deadlineError(requestPath, attempt + 1, error);
            failure = describeCause(error);
            cause = error;
            if (attempt >= retry.maxRetries) {
                throw new CloudflareRequestError(`GET ${requestPath} failed after ${attempt + 1} attempts: ${failure}. Check that \`baseUrl\` is reachable.`, attempt + 1, requestPath, { cause });
            }
        }
        const delay = retryAfterMs ?? backoffDelayMs(attempt, retry);
        if (Date.now() + delay >= deadline) {
            throw new CloudflareRequestError(
                `GET ${requestPath} failed (${failure}) and the next retry (in ${Math.ceil(delay / 1000)} s) would pass the deadline (\`timeoutMs\`). Retry later or raise \`timeoutMs\`.`,
                attempt + 1,
                requestPath,
                { cause },
            );
        }
        await sleep(delay);
    }
}
