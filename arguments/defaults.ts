/** Defaults and bounds of the arguments, in one place (the README's arguments table states them too). */
export const defaultBaseUrl = "https://api.cloudflare.com/client/v4";
export const defaultTimeoutMs = 60_000;
export const defaultMaxRetries = 3;
export const defaultConcurrency = 8;
/** Per response: room for 100,000 users (about 15 MB) in one page, while a runaway body cannot exhaust memory. */
export const defaultMaxResponseBytes = 64 * 1024 * 1024;
export const minMaxResponseBytes = 1024;
export const maxMaxResponseBytes = 1024 * 1024 * 1024;
