/** Exponential backoff with full jitter, capped; `Retry-After` from the server wins when present. */
export interface RetryPolicy {
    readonly maxRetries: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly random: () => number;
}

export const defaultRetryPolicy = { baseDelayMs: 250, maxDelayMs: 8_000, random: Math.random };

export function isRetryableStatus(status: number): boolean {
    return status === 429 || status >= 500;
}

/** `Retry-After` is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfterMs(value: string | undefined, now: number): number | undefined {
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelayMs(attempt: number, policy: RetryPolicy): number {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return Math.floor(policy.random() * ceiling);
}
