import type { IncomingMessage } from "node:http";
import type { LocalAccounts } from "./accounts";
import { apiErrors, summaryEnvelope } from "./cloudflareEnvelope";
import { isAuthorized, type LocalCredentials } from "./credentials";
import { pageOf, parsePaging, type PageSizeLimits } from "./paging";
import { json, type Reply } from "./reply";

/**
 * The risk scoring summary endpoint's normal answer, as Cloudflare's API gives it: routing, method,
 * authentication, paging, and the Cloudflare envelope; optionally with each page kept encoded.
 */

export const apiPathPrefix = "/client/v4";
const summaryPath = /^\/client\/v4\/accounts\/([^/]+)\/zt_risk_scoring\/summary\/?$/;

/** The account a summary path names, or undefined for any other path. */
export function summaryAccountId(pathname: string): string | undefined {
    return summaryPath.exec(pathname)?.[1];
}

export class SummaryEndpoint {
    /** Normal answers by account, page and page size, when pages are cached; emptied whenever a dataset changes. */
    private readonly pageCache: Map<string, Reply> | undefined;

    constructor(
        private readonly accounts: LocalAccounts,
        private readonly credentials: Readonly<LocalCredentials>,
        private readonly pageSizes: PageSizeLimits,
        cachePages: boolean,
    ) {
        this.pageCache = cachePages ? new Map() : undefined;
    }

    /** The endpoint's normal answer; `forcePage1` is the "server ignores page" failure; `cached` may reuse an encoded page. */
    reply(req: IncomingMessage, url: URL, forcePage1: boolean, cached = false): Reply {
        const accountId = summaryAccountId(url.pathname);
        if (accountId === undefined) return json(404, apiErrors.noRoute(url.pathname.slice(apiPathPrefix.length) || "/"));
        if (req.method !== "GET") return { ...json(405, apiErrors.methodNotAllowed()), headers: { allow: "GET" } };
        if (!isAuthorized(req.headers, this.credentials)) return json(403, apiErrors.authentication());
        const users = this.accounts.find(accountId);
        if (!users) return json(404, apiErrors.noRoute(`/accounts/${accountId}/zt_risk_scoring/summary`));
        const paging = parsePaging(url.searchParams, this.pageSizes);
        if (!paging.ok) return json(400, apiErrors.invalidQuery(paging.message));
        const page = forcePage1 ? 1 : paging.page;
        const render = (): Reply => {
            const { items, resultInfo } = pageOf(users, page, paging.perPage);
            return json(200, summaryEnvelope(items, resultInfo));
        };
        if (!cached || this.pageCache === undefined) return render();
        const key = `${accountId}/${page}/${paging.perPage}`;
        let reply = this.pageCache.get(key);
        if (reply === undefined) {
            const fresh = render();
            reply = { ...fresh, encoded: Buffer.from(fresh.body) };
            this.pageCache.set(key, reply);
        }
        return reply;
    }

    /** Drops the cached pages: a dataset changed. */
    forgetPages(): void {
        this.pageCache?.clear();
    }
}
