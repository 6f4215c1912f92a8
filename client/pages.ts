import type { Dispatcher } from "undici";
import type { RequestLimiter } from "./limiter";
import { cloudflareGet } from "./get";
import { IncompletePaginationError } from "../errors/errors";
import { parseRiskSummaryPage } from "./parsePage";
import type { RetryPolicy } from "./retry";
import type { RiskSummaryPage, WireRiskUser } from "./schema";

export interface AccountRequestSettings {
    readonly accountId: string;
    readonly baseUrl: string;
    readonly headers: Record<string, string>;
    readonly timeoutMs: number;
    readonly concurrency: number;
    readonly perPage?: number;
    /** Largest response body accepted, per request, in bytes. */
    readonly maxResponseBytes: number;
    readonly retry: RetryPolicy;
    readonly dispatcher?: Dispatcher;
    readonly limiter: RequestLimiter;
}

export interface AccountRiskUsers {
    /** Unique by `user_id`, in page order. */
    readonly users: WireRiskUser[];
    readonly pagesRequested: number;
    /** When the last page arrived. */
    readonly fetchedAt: Date;
}

/** The summary endpoint of an account under a validated base URL. */
export function riskSummaryEndpoint(baseUrl: string, accountId: string): string {
    return `${baseUrl}/accounts/${accountId}/zt_risk_scoring/summary`;
}

/** Reads every page of the account's summary, `concurrency` pages at a time, within one deadline. */
export async function fetchAccountRiskUsers(settings: AccountRequestSettings): Promise<AccountRiskUsers> {
    const deadline = Date.now() + settings.timeoutMs;
    const endpoint = riskSummaryEndpoint(settings.baseUrl, settings.accountId);

    const fetchPage = async (page: number, perPage: number | undefined): Promise<RiskSummaryPage> => {
        const url = new URL(endpoint);
        if (page > 1 || perPage !== undefined) url.searchParams.set("page", String(page));
        if (perPage !== undefined) url.searchParams.set("per_page", String(perPage));
        const requestPath = `${url.pathname}${url.search}`;
        const response = await cloudflareGet({
            url,
            requestPath,
            headers: settings.headers,
            deadline,
            retry: settings.retry,
            dispatcher: settings.dispatcher,
            limiter: settings.limiter,
            maxResponseBytes: settings.maxResponseBytes,
        });
        return parseRiskSummaryPage(response.status, response.contentType, response.body, requestPath);
    };

    const first = await fetchPage(1, settings.perPage);
    const pages = new Map<number, RiskSummaryPage>([[1, first]]);
    const info = first.result_info;
    if (info !== undefined) {
        const perPage = settings.perPage ?? info.per_page;
        let totalPages = info.total_pages;
        let next = 2;
        let failed = false;
        // Workers share one cursor; a page that reports more pages extends the walk, and the first
        // failure stops every worker so that no request is sent for a read that already failed.
        const worker = async () => {
            while (next <= totalPages && !failed) {
                const page = next++;
                const result = await fetchPage(page, perPage).catch((error: unknown) => {
                    failed = true;
                    throw error;
                });
                pages.set(page, result);
                if (result.result_info !== undefined && result.result_info.total_pages > totalPages) {
                    totalPages = result.result_info.total_pages;
                }
            }
        };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, totalPages - 1)) }, worker));
    }

    const byId = new Map<string, WireRiskUser>();
    let rows = 0;
    let pagesWithoutNewUsers = 0;
    for (const page of [...pages.keys()].sort((a, b) => a - b)) {
        const before = byId.size;
        const pageUsers = pages.get(page)!.result.users;
        rows += pageUsers.length;
        for (const user of pageUsers) if (!byId.has(user.user_id)) byId.set(user.user_id, user);
        if (byId.size === before && pageUsers.length > 0) pagesWithoutNewUsers++;
    }
    // The smallest total any page reported: users removed while paging must not fail the read.
    // A user listed twice is tolerated (dropped); whole pages of users seen before are not.
    const totals = [...pages.values()].flatMap((p) => (p.result_info === undefined ? [] : [p.result_info.total_count]));
    const expected = totals.length === 0 ? 0 : Math.min(...totals);
    if (byId.size < expected && (rows < expected || pagesWithoutNewUsers > 0)) {
        const reason =
            pagesWithoutNewUsers > 0
                ? `${pagesWithoutNewUsers} pages returned no new users, as if the server ignored the \`page\` parameter`
                : "the pages ended before `result_info.total_count` was reached";
        throw new IncompletePaginationError(byId.size, expected, pages.size, reason);
    }
    return { users: [...byId.values()], pagesRequested: pages.size, fetchedAt: new Date() };
}
