/** Defaults and bounds of the arguments, in one place (the README's arguments table states them too). */
export const defaultBaseUrl = "https://api.cloudflare.com/client/v4";
export const defaultTimeoutMs = 60_000;
export const defaultMaxRetries = 3;
export const defaultConcurrency = 8;
/** Per response: room for 100,000 users (about 15 MB) in one page, while a runaway body cannot exhaust memory. */
export const defaultMaxResponseBytes = 64 * 1024 * 1024;
export const minMaxResponseBytes = 1024;
export const maxMaxResponseBytes = 1024 * 1024 * 1024;
/**
 * `per_page` asked for when `perPage` is not set. Cloudflare documents no maximum for this endpoint;
 * 1,000 is the largest page its v4 list APIs commonly serve, and a server that pages by less says so in
 * `result_info.per_page` (followed) or refuses (the read falls back to its default page size). 100,000
 * users then take 100 requests instead of 5,000 at the server's 20, and a page of 1,000 users is about
 * 200 KB, far below `maxResponseBytes`.
 */
export const defaultPerPage = 1000;
/**
 * Reads from page 1 that one multi-page read may take when the account changes under it (each read
 * that sees a change starts again); all of them within `timeoutMs` and the rate limit.
 */
export const readAttempts = 3;
