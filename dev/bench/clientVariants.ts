import { type ApiTarget, bearer, summaryUrl } from "./apiTarget";

/**
 * The three ways of reading one account's summary that the client benchmark compares. Each loader
 * requires only what its variant needs, so that a worker's memory is that variant's alone.
 */

export const clientVariantNames = ["floor", "ours", "sdk"] as const;
export type ClientVariant = (typeof clientVariantNames)[number];

export interface ClientRead {
    /** What the variant returns; kept alive by the worker to weigh it. */
    readonly value: unknown;
    readonly users: number;
}

export type ClientReader = (target: ApiTarget) => Promise<ClientRead>;

/** The floor: undici's `request` and `JSON.parse`, nothing checked, nothing mapped. */
async function loadFloor(): Promise<ClientReader> {
    const { request } = await import("undici");
    return async (target) => {
        const response = await request(summaryUrl(target), { headers: bearer(target) });
        if (response.statusCode !== 200) throw new Error(`floor: HTTP ${response.statusCode}`);
        const body = (await response.body.json()) as { result: { users: unknown[] } };
        return { value: body, users: body.result.users.length };
    };
}

/** Ours: `fetchRiskSummary`, validated, de-duplicated, mapped and sorted, with a limiter of its own. */
async function loadOurs(): Promise<ClientReader> {
    const { fetchRiskSummary } = await import("../../provider/summary/fetchRiskSummary");
    const { RequestLimiter } = await import("../../provider/client/limiter");
    return async (target) => {
        const summary = await fetchRiskSummary({
            accountId: target.accountId,
            apiToken: target.apiToken,
            baseUrl: target.baseUrl,
            limiter: new RequestLimiter(),
        });
        return { value: summary, users: summary.users.length };
    };
}

/** Cloudflare's own SDK: one `GET` through its client, `result` unwrapped, no validation. */
async function loadSdk(): Promise<ClientReader> {
    const { default: Cloudflare } = await import("cloudflare");
    return async (target) => {
        const client = new Cloudflare({ apiToken: target.apiToken, baseURL: target.baseUrl });
        const summary = await client.zeroTrust.riskScoring.summary.get({ account_id: target.accountId });
        return { value: summary, users: summary.users.length };
    };
}

export function loadClientVariant(variant: ClientVariant): Promise<ClientReader> {
    switch (variant) {
        case "floor":
            return loadFloor();
        case "ours":
            return loadOurs();
        case "sdk":
            return loadSdk();
    }
}
