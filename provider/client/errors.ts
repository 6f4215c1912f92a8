import { CloudflareRiskError } from "../errors/cloudflareRiskError";
import type { CloudflareMessage } from "../errors/cloudflareMessage";
import { listFirst } from "../errors/listFirst";

function describeMessage(m: CloudflareMessage): string {
    const docs = m.documentation_url ? ` (see ${m.documentation_url})` : "";
    return `[${m.code}] ${m.message}${docs}`;
}

/** Cloudflare answered with an error: an error envelope (`success: false`) or an HTTP error status. */
export class CloudflareApiError extends CloudflareRiskError {
    override readonly code = "CFRISK_API";

    constructor(
        readonly status: number,
        readonly errors: readonly CloudflareMessage[],
        /** The request path with query, never credentials. */
        readonly requestPath: string,
    ) {
        const quoted = errors.length > 0 ? errors.map(describeMessage).join("; ") : "no error details in the response";
        const hint =
            status === 401 || status === 403
                ? ` Check the credentials: an API token needs the "Zero Trust: PII Read" permission on this account` +
                  ` (or use a Global API key with its email).`
                : status === 429
                  ? " Cloudflare is rate limiting this client; retry later or lower `concurrency`."
                  : status >= 500
                    ? " Cloudflare (or a proxy in front of it) failed on every attempt; retry later, or raise `maxRetries` and `timeoutMs`."
                    : status === 404
                      ? " Check `accountId` and `baseUrl`."
                      : " Cloudflare reported the failure itself; retry later, and check the account's Zero Trust settings if it persists.";
        super(`Cloudflare API error (HTTP ${status}) for GET ${requestPath}: ${quoted}.${hint}`);
    }
}

/** The body was not the JSON that Cloudflare sends (a proxy's HTML page, a truncated body, ...). */
export class CloudflareResponseError extends CloudflareRiskError {
    override readonly code = "CFRISK_RESPONSE";

    constructor(
        readonly status: number,
        readonly contentType: string,
        readonly requestPath: string,
        reason: string,
    ) {
        super(
            `Unexpected response from Cloudflare (HTTP ${status}, content-type ${contentType || "none"}) for GET ` +
                `${requestPath}: ${reason}. Check \`baseUrl\` and any proxy between this machine and the API.`,
        );
    }
}

export interface ValidationIssue {
    /** Field path in the response, e.g. `result.users[3].max_risk_level`. */
    readonly path: string;
    readonly problem: string;
}

/** The JSON did not match the documented schema of the summary endpoint. */
export class RiskSummaryValidationError extends CloudflareRiskError {
    override readonly code = "CFRISK_VALIDATION";

    constructor(
        readonly issues: readonly ValidationIssue[],
        readonly requestPath: string,
    ) {
        const shown = listFirst(
            issues.map((i) => `${i.path}: ${i.problem}`),
            5,
            "; ",
        );
        super(
            `Cloudflare's response for GET ${requestPath} does not match the risk summary schema: ` +
                `${shown}. If Cloudflare changed the API, upgrade pulumi-cloudflare-risk.`,
        );
    }
}

/** The pages did not add up to `result_info.total_count`: returning them would silently lose users. */
export class IncompletePaginationError extends CloudflareRiskError {
    override readonly code = "CFRISK_INCOMPLETE_PAGINATION";

    constructor(
        readonly read: number,
        readonly totalCount: number,
        readonly pagesRequested: number,
        reason: string,
    ) {
        super(
            `Read ${read} of ${totalCount} users over ${pagesRequested} pages: ${reason}. Refusing to return a ` +
                `partial summary; check that \`baseUrl\` points at Cloudflare's API (or a proxy that forwards ` +
                `the \`page\` and \`per_page\` query parameters).`,
        );
    }
}

/**
 * Every read of the account from page 1 saw it change between two pages (totals that moved, a user
 * listed twice): no read showed one state of the account, so none is returned.
 */
export class InconsistentReadError extends CloudflareRiskError {
    override readonly code = "CFRISK_INCONSISTENT_READ";

    constructor(
        /** Reads from page 1, each of which saw the account change. */
        readonly attempts: number,
        /** What each read saw change, in counts and page numbers: one entry per read. */
        readonly changes: readonly string[],
        readonly pagesRequested: number,
        readonly requestPath: string,
    ) {
        const seen = changes.map((change, i) => `read ${i + 1}: ${change}`).join("; ");
        super(
            `GET ${requestPath}: the account's risk summary changed while it was being read, ${attempts} times in a row ` +
                `(${pagesRequested} pages requested; ${seen}). Refusing to return a mix of two states of the account: nothing ` +
                "was returned or stored, and the previous state stays as it was. Retry the deployment once the account is " +
                "quieter; ask for larger pages with `perPage` (up to 1000) so that a read takes fewer requests; raise " +
                "`timeoutMs` if reads also run out of time. If the same pages disagree on every read, check that `baseUrl` " +
                "points at Cloudflare's API (or a proxy that forwards `page` and `per_page`).",
        );
    }
}

/** The request could not complete: network errors, timeouts or retryable statuses past the retry budget. */
export class CloudflareRequestError extends CloudflareRiskError {
    override readonly code = "CFRISK_REQUEST";

    constructor(
        message: string,
        readonly attempts: number,
        readonly requestPath: string,
        options?: { cause?: unknown },
    ) {
        super(message, options);
    }
}

/** A response body passed `maxResponseBytes`; not retried, since the same request would get the same body. */
export class CloudflareResponseTooLargeError extends CloudflareRiskError {
    override readonly code = "CFRISK_RESPONSE_TOO_LARGE";

    constructor(
        readonly requestPath: string,
        /** The cap, in bytes. */
        readonly maxResponseBytes: number,
        /** The announced `content-length`, when the response was refused before its body was read. */
        readonly contentLength?: number,
    ) {
        const seen = contentLength === undefined ? "its body passed" : `its content-length (${contentLength} bytes) is above`;
        super(
            `The response to GET ${requestPath} is too large: ${seen} the cap of ${maxResponseBytes} bytes (\`maxResponseBytes\`). ` +
                "Raise `maxResponseBytes` or lower `perPage`; if the page size is already small, check `baseUrl` and any proxy in front of the API.",
        );
    }
}

/** The wait for a request slot of the limiter would pass the read's deadline; the client turns it into a `CloudflareRequestError`. */
export class RequestSlotTimeoutError extends CloudflareRiskError {
    override readonly code = "CFRISK_REQUEST_SLOT_TIMEOUT";

    constructor() {
        super("No request slot before the deadline.");
    }
}

/** What page 1 announced, against what the limiter and the deadline allow; the numbers of a `RequestBudgetError`. */
export interface RequestBudget {
    /** `result_info.total_pages` and `total_count` of page 1, and the page size the server pages by (when it said). */
    readonly totalPages: number;
    readonly totalCount: number;
    readonly perPage: number | undefined;
    /** The server refused the `per_page` asked for by default, so the read fell back to its own page size. */
    readonly refusedPerPage: number | undefined;
    /** Pages still to request after page 1, and how many of them the rate limit lets start before the deadline. */
    readonly remainingPages: number;
    readonly startablePages: number;
    readonly maxRequestsPerFiveMinutes: number;
    readonly timeoutMs: number;
    /** The smallest `timeoutMs` under which every remaining page could at least start. */
    readonly minimumTimeoutMs: number;
}

/**
 * The pages that page 1 announces cannot all be requested before the deadline within the rate limit:
 * raised right after page 1, instead of failing at the deadline with a partial read.
 */
export class RequestBudgetError extends CloudflareRiskError {
    override readonly code = "CFRISK_REQUEST_BUDGET";

    constructor(
        readonly budget: RequestBudget,
        readonly requestPath: string,
    ) {
        const b = budget;
        const pageSize = b.perPage === undefined ? "" : ` of ${b.perPage}`;
        const refused =
            b.refusedPerPage === undefined
                ? ""
                : ` (the server refused \`per_page=${b.refusedPerPage}\`, so the read uses its default page size)`;
        super(
            `GET ${requestPath} announces ${b.totalCount} users in ${b.totalPages} pages${pageSize}${refused}, more than the request ` +
                `budget covers: at ${b.maxRequestsPerFiveMinutes} requests per five minutes, only ${b.startablePages} of the ` +
                `${b.remainingPages} remaining pages could start within \`timeoutMs\` (${b.timeoutMs} ms). Ask for larger pages ` +
                `with \`perPage\`, raise \`timeoutMs\` above ${b.minimumTimeoutMs}, or, if the token's Cloudflare rate limit is ` +
                "higher, raise the limit: stack config `cloudflare-risk:maxRequestsPerFiveMinutes` (for `fetchRiskSummary`, " +
                "a `limiter`). `concurrency` and `cloudflare-risk:maxConcurrentRequests` do not change how many requests may start.",
        );
    }
}
