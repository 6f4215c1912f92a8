import type { IncomingHttpHeaders } from "node:http";

/**
 * The credentials the local API accepts, checked the way Cloudflare's API does: an API token as
 * `Authorization: Bearer`, or the legacy `X-Auth-Email` + `X-Auth-Key` pair.
 */

export interface LocalCredentials {
    apiToken: string;
    email: string;
    apiKey: string;
}

/** Fake, local-only values: fixed so that tests and the demo can use them without configuration. */
export const defaultLocalCredentials: Readonly<LocalCredentials> = {
    apiToken: "local-api-token-0000000000000000000000000",
    email: "admin@example.com",
    apiKey: "0000000000000000000000000000000000000",
};

export type AuthScheme = "token" | "key" | "none";

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, "authorization") ?? "");
    return match?.[1];
}

/** Which scheme the request presented (not whether it was right); logged instead of the values. */
export function authSchemeOf(headers: IncomingHttpHeaders): AuthScheme {
    if (header(headers, "authorization") !== undefined) return "token";
    if (header(headers, "x-auth-email") !== undefined || header(headers, "x-auth-key") !== undefined) return "key";
    return "none";
}

export function isAuthorized(headers: IncomingHttpHeaders, accepted: LocalCredentials): boolean {
    const token = bearerToken(headers);
    if (token !== undefined) return token === accepted.apiToken;
    const email = header(headers, "x-auth-email");
    const key = header(headers, "x-auth-key");
    return email !== undefined && key !== undefined && email === accepted.email && key === accepted.apiKey;
}
