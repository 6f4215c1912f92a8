import type { Dispatcher } from "undici";
import type { RequestLimiter, RequestWaitCause } from "./limiter";
import { cloudflareGet } from "./get";
import { CloudflareApiError, IncompletePaginationError, InconsistentReadError, RequestBudgetError } from "./errors";
import { parseRiskSummaryPage } from "./parsePage";
import type { RetryPolicy } from "./retry";
import type { RiskSummaryPage, WireRiskUser } from "./schema";
import { defaultPerPage, readAttempts } from "../arguments/defaults";
import { judgeRead } from "./readConsistency";

export interface AccountRequestSettings {
    readonly accountId: string;
    readonly baseUrl: string;
    readonly headers: Record<string, string>;
    readonly timeoutMs: number;
    readonly concurrency: number;
    /** `per_page` the user asked for; unset, the read asks for `defaultPerPage` and falls back if the server refuses it. */
    readonly perPage?: number;
    /** Largest response body accepted, per request, in bytes. */
    readonly maxResponseBytes: number;
    readonly retry: RetryPolicy;
    readonly dispatcher?: Dispatcher;
    readonly limiter: RequestLimiter;
    /** Told what the read decided on its own (e.g. a page size fallback); never an email, a name or a credential. */
    readonly debug?: (message: string) => void;
    /** Told how far the read is, after each page and before each wait; must not throw. */
    readonly progress?: (progress: AccountReadProgress) => void;
}

/** How far a read is: counts only, never a user. */
export interface AccountReadProgress {
    /** 1 for the first read from page 1; more when the account changed under the reads before. */
    readonly read: number;
    /** Pages of this read. */
    readonly pagesRead: number;
    /** What the pages read so far announce (`result_info`); undefined before page 1, or when the server sends none. */
    readonly totalPages: number | undefined;
    /** Users listed by the pages of this read so far. */
    readonly usersRead: number;
    readonly totalCount: number | undefined;
    /** Set when a request is about to wait this long before it is sent (again). */
    readonly waitMs?: number;
    readonly waitCause?: RequestWaitCause;
}

export interface AccountRiskUsers {
    /** The users of one state of the account, each once, in page order. */
    readonly users: WireRiskUser[];
    /** What every page of the read reported (`result_info.total_count`); the users' count without `result_info`. */
    readonly totalCount: number;
    /** Reads from page 1 it took: 1 unless the account changed under a read. */
    readonly reads: number;
    /** Requests sent over all reads. */
    readonly pagesRequested: number;
    /** When the last page arrived. */
    readonly fetchedAt: Date;
}

/** The summary endpoint of an account under a validated base URL. */
export function riskSummaryEndpoint(baseUrl: string, accountId: string): string {
    return `${baseUrl}/accounts/${accountId}/zt_risk_scoring/summary`;
}

/**
 * Reads every page of the account's summary, `concurrency` pages at a time, within one deadline. A read
 * whose pages do not show one state of the account (`judgeRead`) is read again from page 1, up to
 * `readAttempts` reads in all, within the same deadline and rate limit.
 */
export async function fetchAccountRiskUsers(settings: AccountRequestSettings): Promise<AccountRiskUsers> {
    const deadline = Date.now() + settings.timeoutMs;
    const endpoint = riskSummaryEndpoint(settings.baseUrl, settings.accountId);
    const endpointPath = new URL(endpoint).pathname;

    let read = 1;
    let pagesRead = 0;
    let pagesRequested = 0;
    let usersRead = 0;
    let totalPages: number | undefined;
    let totalCount: number | undefined;
    const report = (wait?: { waitMs: number; waitCause: RequestWaitCause }) => {
        try {
            settings.progress?.({ read, pagesRead, totalPages, usersRead, totalCount, ...wait });
        } catch {
            // Progress is for people watching; it never changes the read.
        }
    };
    const onWait =
        settings.progress === undefined ? undefined : (waitMs: number, waitCause: RequestWaitCause) => report({ waitMs, waitCause });

    const fetchPage = async (page: number, perPage: number | undefined): Promise<RiskSummaryPage> => {
        const url = new URL(endpoint);
        if (page > 1 || perPage !== undefined) url.searchParams.set("page", String(page));
        if (perPage !== undefined) url.searchParams.set("per_page", String(perPage));
        const requestPath = `${url.pathname}${url.search}`;
        pagesRequested++;
        const response = await cloudflareGet({
            url,
            requestPath,
            headers: settings.headers,
            deadline,
            retry: settings.retry,
            dispatcher: settings.dispatcher,
            limiter: settings.limiter,
            maxResponseBytes: settings.maxResponseBytes,
            onWait,
        });
        const parsed = parseRiskSummaryPage(response.status, response.contentType, response.body, requestPath);
        pagesRead++;
        usersRead += parsed.result.users.length;
        if (page === 1) {
            totalPages = parsed.result_info?.total_pages;
            totalCount = parsed.result_info?.total_count;
        }
        report();
        return parsed;
    };

    // Large pages unless the user chose a size: 100,000 users in 100 requests rather than 5,000.
    const asked = settings.perPage ?? defaultPerPage;
    let first: RiskSummaryPage;
    let sentPerPage: number | undefined = asked;
    try {
        first = await fetchPage(1, asked);
    } catch (error) {
        if (settings.perPage !== undefined || !refusesPerPage(error)) throw error;
        // Our default, not the user's choice: ask again as Cloudflare's own SDK does, without `per_page`.
        settings.debug?.(
            `GET ${error.requestPath} was refused (HTTP ${error.status}, ${error.errors.map((m) => `[${m.code}]`).join(" ")} about ` +
                `per_page); reading every page with the server's default page size instead.`,
        );
        sentPerPage = undefined;
        first = await fetchPage(1, undefined);
    }

    /** Pages 2.. of the read that `first` starts; stops requesting at the first page whose totals differ from page 1's. */
    const readAfter = async (first: RiskSummaryPage): Promise<Map<number, RiskSummaryPage>> => {
        const pages = new Map<number, RiskSummaryPage>([[1, first]]);
        const info = first.result_info ?? undefined;
        if (info === undefined) return pages;
        // The page size the server applied, which may be less than asked; after a refusal, none is sent.
        const perPage = sentPerPage === undefined ? undefined : (info.per_page ?? sentPerPage);
        const lastPage = info.total_pages;
        checkRequestBudget(settings, deadline, {
            totalPages: lastPage,
            totalCount: info.total_count,
            perPage: info.per_page,
            refusedPerPage: sentPerPage === undefined ? asked : undefined,
            requestPath: endpointPath,
        });
        let next = 2;
        let stop = false;
        // Workers share one cursor. The first failure, or a page that shows the account changed, stops
        // every worker, so that no request is sent for a read that already failed or must start again.
        const worker = async () => {
            while (next <= lastPage && !stop) {
                const page = next++;
                const result = await fetchPage(page, perPage).catch((error: unknown) => {
                    stop = true;
                    throw error;
                });
                pages.set(page, result);
                const other = result.result_info;
                if (other != null && (other.total_count !== info.total_count || other.total_pages !== info.total_pages)) stop = true;
            }
        };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, lastPage - 1)) }, worker));
        return pages;
    };

    const changes: string[] = [];
    let pageOneEveryRead = true;
    for (;;) {
        const pages = await readAfter(first);
        const verdict = judgeRead(pages);
        if (verdict.kind === "consistent") {
            return { users: verdict.users, totalCount: verdict.totalCount, reads: read, pagesRequested, fetchedAt: new Date() };
        }
        if (verdict.kind === "incomplete") {
            throw new IncompletePaginationError(verdict.read, verdict.totalCount, pages.size, verdict.reason);
        }
        changes.push(verdict.changes.join(", "));
        pageOneEveryRead &&= verdict.pageOneAgain !== undefined;
        if (read >= readAttempts) {
            if (pageOneEveryRead && verdict.pageOneAgain !== undefined) {
                const { read: unique, totalCount } = verdict.pageOneAgain;
                const reason = `on each of ${read} reads, later pages listed the users of page 1 again, as if the server ignored the \`page\` parameter`;
                throw new IncompletePaginationError(unique, totalCount, pagesRequested, reason);
            }
            throw new InconsistentReadError(read, changes, pagesRequested, endpointPath);
        }
        read++;
        settings.debug?.(
            `The account changed while it was being read (${verdict.changes.join(", ")}); reading it again from page 1 ` +
                `(read ${read} of at most ${readAttempts}).`,
        );
        pagesRead = 0;
        usersRead = 0;
        first = await fetchPage(1, sentPerPage);
    }
}

/** A 4xx (not a rate limit) whose Cloudflare errors name `per_page`: the server will not serve that page size. */
function refusesPerPage(error: unknown): error is CloudflareApiError {
    if (!(error instanceof CloudflareApiError) || error.status < 400 || error.status >= 500 || error.status === 429) return false;
    const namesPerPage = /\bper[_ ]?page\b/i;
    return error.errors.some((m) => namesPerPage.test(m.message) || namesPerPage.test(m.source?.pointer ?? ""));
}

interface Announced {
    readonly totalPages: number;
    readonly totalCount: number;
    readonly perPage: number | undefined;
    readonly refusedPerPage: number | undefined;
    readonly requestPath: string;
}

/**
 * Fails at once, rather than at the deadline, when the rate limit cannot let every page that page 1
 * announces start before the deadline. Only what is certain counts: the pages' latency and retries
 * are not guessed, so a read that passes may still run out of time, but one that fails could not succeed.
 */
function checkRequestBudget(settings: AccountRequestSettings, deadline: number, announced: Announced): void {
    const remainingPages = announced.totalPages - 1;
    if (remainingPages <= 0) return;
    const now = Date.now();
    const { limiter } = settings;
    const lastStart = limiter.earliestStart(remainingPages, now);
    if (lastStart < deadline) return;
    const elapsed = settings.timeoutMs - (deadline - now);
    throw new RequestBudgetError(
        {
            totalPages: announced.totalPages,
            totalCount: announced.totalCount,
            perPage: announced.perPage,
            refusedPerPage: announced.refusedPerPage,
            remainingPages,
            startablePages: limiter.startsBefore(deadline, remainingPages, now),
            maxRequestsPerFiveMinutes: limiter.maxRequestsPerFiveMinutes,
            timeoutMs: settings.timeoutMs,
            minimumTimeoutMs: Math.ceil((elapsed + lastStart - now) / 1000) * 1000,
        },
        announced.requestPath,
    );
}
