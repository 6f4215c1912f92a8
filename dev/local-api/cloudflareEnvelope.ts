import type { ResultInfo, WireRiskUser } from "../../provider/client/schema";
import type { CloudflareMessage } from "../../provider/errors/cloudflareMessage";

/** Cloudflare's response envelope, success and error forms, as the local API sends them. */

export interface SummaryEnvelope {
    success: true;
    errors: CloudflareMessage[];
    messages: CloudflareMessage[];
    result: { users: WireRiskUser[] };
    result_info: ResultInfo;
}

export interface ErrorEnvelope {
    success: false;
    errors: CloudflareMessage[];
    messages: CloudflareMessage[];
    result: null;
}

export function summaryEnvelope(users: WireRiskUser[], resultInfo: ResultInfo): SummaryEnvelope {
    return { success: true, errors: [], messages: [], result: { users }, result_info: resultInfo };
}

export function errorEnvelope(code: number, message: string): ErrorEnvelope {
    return { success: false, errors: [{ code, message }], messages: [], result: null };
}

/**
 * The errors the local API answers with. 10000 (authentication) and the 7003 + 7000 pair
 * (routing) are what Cloudflare's API answers for these cases. The others have no code we could
 * confirm, so they are picked in the reference's documented range (>= 1000) and only need to be stable.
 */
export const apiErrors = {
    authentication: () => errorEnvelope(10000, "Authentication error"),
    /** Cloudflare answers an unroutable path (unknown route or unknown object id) with 7003 and 7000. */
    noRoute: (path: string): ErrorEnvelope => ({
        success: false,
        errors: [
            { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
            { code: 7000, message: "No route for that URI" },
        ],
        messages: [],
        result: null,
    }),
    methodNotAllowed: () => errorEnvelope(7001, "Method not allowed for this route"),
    invalidQuery: (message: string) => errorEnvelope(1001, message),
    failedToGet: () => errorEnvelope(1002, "Failed to get risk scores"),
    status: (status: number) =>
        status === 429
            ? errorEnvelope(10429, "Rate limited: please wait and consider throttling your request speed")
            : errorEnvelope(10000 + status, `Upstream error (HTTP ${status})`),
} as const;

/** An HTML error page in the style of Cloudflare's edge, for the "proxy answered" case. */
export function htmlErrorPage(status: number): string {
    return [
        "<!DOCTYPE html>",
        `<html><head><title>${status} | Bad gateway</title></head>`,
        `<body><h1>Error ${status}</h1><p>The web server reported a bad gateway error.</p>`,
        "<p>Cloudflare Ray ID: 0000000000000000 &bull; local-api</p></body></html>",
        "",
    ].join("\n");
}
