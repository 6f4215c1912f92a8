import { MockAgent } from "undici";
import type { MockInterceptor } from "undici/types/mock-interceptor";
import { pageOf } from "../../dev/local-api/paging";
import { summaryEnvelope } from "../../dev/local-api/cloudflareEnvelope";
import type { WireRiskUser } from "../../provider/client/schema";
import { RequestLimiter } from "../../provider/client/limiter";

export const accountId = "0123456789abcdef0123456789abcdef";
export const apiToken = "unit-test-token-7f3a9c1e5b";
export const origin = "https://api.cloudflare.com";
export const summaryPath = `/client/v4/accounts/${accountId}/zt_risk_scoring/summary`;

export interface MockedRequest {
    readonly path: string;
    readonly page: number;
    readonly headers: Record<string, string>;
}

/** A MockAgent that refuses the network and answers every summary request with `reply`. */
export function summaryAgent(reply: MockInterceptor.MockReplyOptionsCallback): MockAgent {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
        .get(origin)
        .intercept({ path: (p) => p.startsWith(summaryPath), method: "GET" })
        .reply(reply)
        .persist();
    return agent;
}

/**
 * A MockAgent that serves `users` in pages like Cloudflare, recording every request it answers:
 * `perPage` (default 20) without `per_page`, asks above `maxPerPage` (if set) clamped to it.
 */
export function mockCloudflare(
    users: readonly WireRiskUser[],
    options: { perPage?: number; maxPerPage?: number; ignorePage?: boolean } = {},
) {
    const requests: MockedRequest[] = [];
    const agent = summaryAgent((opts) => {
        const url = new URL(opts.path, origin);
        const page = options.ignorePage ? 1 : Number(url.searchParams.get("page") ?? "1");
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? options.perPage ?? 20), options.maxPerPage ?? Infinity);
        requests.push({ path: opts.path, page, headers: opts.headers as Record<string, string> });
        const { items, resultInfo } = pageOf(users, page, perPage);
        return {
            statusCode: 200,
            data: JSON.stringify(summaryEnvelope(items, resultInfo)),
            responseOptions: { headers: { "content-type": "application/json" } },
        };
    });
    return { agent, requests };
}

/** A MockAgent that answers each request with the next scripted response, then fails loudly. */
export function scriptedCloudflare(responses: { status: number; body: string; headers?: Record<string, string> }[]) {
    const requests: string[] = [];
    const agent = summaryAgent((opts) => {
        requests.push(opts.path);
        const next = responses.shift();
        if (next === undefined) throw new Error(`unexpected request ${opts.path}`);
        return {
            statusCode: next.status,
            data: next.body,
            responseOptions: { headers: { "content-type": "application/json", ...next.headers } },
        };
    });
    return { agent, requests };
}

/** An answer whose body completes after `turns` event-loop turns, so that concurrent pages complete in any order. */
export function answerAfterTurns(turns: number, status: number, contentType: string, body: string) {
    const data = async () => {
        for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
        return body;
    };
    return { statusCode: status, data, responseOptions: { headers: { "content-type": contentType } } };
}

/**
 * What a property test's read of `agent` shares: the mocked origin, no retries (every answer is the
 * case under test) and its own limiter far above what a run sends, so the process-wide rate limit
 * plays no part.
 */
export function propertyReadOptions(agent: MockAgent) {
    return {
        accountId,
        apiToken,
        baseUrl: `${origin}/client/v4`,
        dispatcher: agent,
        limiter: new RequestLimiter({ maxRequestsPerFiveMinutes: 1_000_000_000, maxConcurrentRequests: 64 }),
        maxRetries: 0,
    };
}
