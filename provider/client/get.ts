import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { CloudflareRequestError, CloudflareResponseTooLargeError, RequestSlotTimeoutError } from "./errors";
import type { RequestLimiter, RequestWaitCause } from "./limiter";
import { type RetryPolicy, backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retry";
import { defaultMaxResponseBytes } from "../arguments/defaults";

// Loaded with the first request: a program imports this module through the package's index but
// never sends one (the dynamic-provider process does), and undici is slow to load (docs/benchmarks.md).
let undici: typeof import("undici") | undefined;
const loadUndici = (): typeof import("undici") => (undici ??= require("undici") as typeof import("undici"));

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
    /** Bounds requests across every read of the process; each attempt takes a slot. */
    readonly limiter: RequestLimiter;
    /** Largest body accepted, in bytes (default 64 MiB): a runaway response fails instead of filling memory. */
    readonly maxResponseBytes?: number;
    /** Hears of each wait before the request is sent or sent again. */
    readonly onWait?: (waitMs: number, cause: RequestWaitCause) => void;
}

/** The body as text; reading stops, and the body is destroyed, as soon as it passes `maxBytes`. */
async function readCappedText(answer: Dispatcher.ResponseData, maxBytes: number, requestPath: string): Promise<string> {
    const announced = answer.headers["content-length"];
    if (typeof announced === "string" && /^\d+$/.test(announced) && Number(announced) > maxBytes) {
        answer.body.destroy();
        throw new CloudflareResponseTooLargeError(requestPath, maxBytes, Number(announced));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
            answer.body.destroy();
            throw new CloudflareResponseTooLargeError(requestPath, maxBytes);
        }
        chunks.push(chunk);
    }
    return new TextDecoder().decode(Buffer.concat(chunks, size));
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
        `GET ${requestPath} did not complete before the deadline (\`timeoutMs\`) after ${attempts} attempt${attempts === 1 ? "" : "s"}. Raise \`timeoutMs\` or check the network.`,
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
    const { url, requestPath, headers, deadline, retry, dispatcher, limiter } = options;
    const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
    for (let attempt = 0; ; attempt++) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            throw deadlineError(requestPath, attempt);
        }
        let retryAfterMs: number | undefined;
        let pausedUntil: number | undefined;
        let failure: string;
        let cause: unknown;
        try {
            const response = await limiter.run(
                deadline,
                async () => {
                    // The slot may have taken time: what is left of the deadline is measured again.
                    const left = Math.max(1, deadline - Date.now());
                    const answer = await loadUndici().request(url, {
                        method: "GET",
                        headers: { accept: "application/json", ...headers },
                        dispatcher,
                        signal: AbortSignal.timeout(left),
                        headersTimeout: left,
                        bodyTimeout: left,
                    });
                    return {
                        statusCode: answer.statusCode,
                        headers: answer.headers,
                        body: await readCappedText(answer, maxResponseBytes, requestPath),
                    };
                },
                options.onWait,
            );
            const body = response.body;
            const contentType = String(response.headers["content-type"] ?? "");
            if (!isRetryableStatus(response.statusCode) || attempt >= retry.maxRetries) {
                return { status: response.statusCode, contentType, body, attempts: attempt + 1 };
            }
            const retryAfter = response.headers["retry-after"];
            retryAfterMs = parseRetryAfterMs(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now());
            // A rate limit applies to the whole token, so every read of the process waits, not just this one.
            if (response.statusCode === 429 && retryAfterMs !== undefined) {
                pausedUntil = Date.now() + retryAfterMs;
                limiter.pauseUntil(pausedUntil);
            }
            failure = `HTTP ${response.statusCode}`;
        } catch (error) {
            // The same request would get the same body: retrying cannot help.
            if (error instanceof CloudflareResponseTooLargeError) throw error;
            if (error instanceof RequestSlotTimeoutError) throw deadlineError(requestPath, attempt);
            if (Date.now() >= deadline) throw deadlineError(requestPath, attempt + 1, error);
            failure = describeCause(error);
            cause = error;
            if (attempt >= retry.maxRetries) {
                throw new CloudflareRequestError(
                    `GET ${requestPath} failed after ${attempt + 1} attempts: ${failure}. Check that \`baseUrl\` is reachable.`,
                    attempt + 1,
                    requestPath,
                    { cause },
                );
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
        options.onWait?.(delay, retryAfterMs === undefined ? "backoff" : "Retry-After");
        await sleepUntil(pausedUntil ?? Date.now() + delay);
    }
}

/**
 * Sleeps until the clock reads `epochMs`. A timer may fire a millisecond early by `Date.now()`, and the
 * limiter, asked next, would then see the pause not over and wait (and report) once more.
 */
async function sleepUntil(epochMs: number): Promise<void> {
    for (let left = epochMs - Date.now(); left > 0; left = epochMs - Date.now()) await sleep(left);
}
