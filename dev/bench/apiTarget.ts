import type { LocalCloudflareApi } from "../local-api";

/** What a client in another process needs to reach an account of the embedded API. */
export interface ApiTarget {
    readonly baseUrl: string;
    readonly accountId: string;
    readonly apiToken: string;
}

export function apiTarget(api: LocalCloudflareApi, accountId = api.accountId): ApiTarget {
    return { baseUrl: api.baseUrl, accountId, apiToken: api.credentials.apiToken };
}

/** The summary endpoint of the target's account, with an optional query. */
export function summaryUrl(target: ApiTarget, query: Record<string, string | number> = {}): string {
    const url = new URL(`${target.baseUrl}/accounts/${target.accountId}/zt_risk_scoring/summary`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    return url.toString();
}

export function bearer(target: ApiTarget): Record<string, string> {
    return { authorization: `Bearer ${target.apiToken}`, accept: "application/json" };
}
