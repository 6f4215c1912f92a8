import type { ResultInfo } from "../../provider/client/schema";

/** Cloudflare-style `page` / `per_page` handling: defaults, clamping, and `result_info`. */

/**
 * Cloudflare's page size when a request names no `per_page`: what the server uses, not what a client
 * asks for (that is `defaultPerPage` of provider/arguments/defaults.ts).
 */
export const serverDefaultPerPage = 20;
/** The largest `per_page` the server honours. */
export const maxPerPage = 1000;

/**
 * The page sizes a server applies: `defaultPerPage` without `per_page`; larger asks than `maxPerPage`
 * clamped (and said so in `result_info.per_page`), or, with `aboveMax: "refuse"`, answered with a 400.
 */
export interface PageSizeLimits {
    readonly defaultPerPage: number;
    readonly maxPerPage: number;
    readonly aboveMax?: "clamp" | "refuse";
    /** Serve `defaultPerPage` whatever `per_page` asks, as a server that pages by its own size only. */
    readonly ignorePerPage?: boolean;
}

export const defaultPageSizeLimits: PageSizeLimits = { defaultPerPage: serverDefaultPerPage, maxPerPage };

/** The 400's message for a `per_page` above the maximum, as a server that refuses it answers. */
export function perPageTooLargeMessage(perPage: number | string, max: number): string {
    return `per_page must be at most ${max}, got ${perPage}`;
}

export type PagingQuery = { ok: true; page: number; perPage: number } | { ok: false; message: string };

/** A positive safe integer written in plain digits, else undefined ("1.5", "-1", "1e3", "" are rejected). */
function positiveInteger(raw: string): number | undefined {
    if (!/^\d+$/.test(raw)) return undefined;
    const value = Number(raw);
    return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** The page asked for, for the request log: 1 when absent, null when invalid. */
export function requestedPage(params: URLSearchParams): number | null {
    const raw = params.get("page");
    return raw === null ? 1 : (positiveInteger(raw) ?? null);
}

export function parsePaging(params: URLSearchParams, limits: PageSizeLimits = defaultPageSizeLimits): PagingQuery {
    const rawPage = params.get("page");
    const rawPerPage = params.get("per_page");
    const page = rawPage === null ? 1 : positiveInteger(rawPage);
    if (page === undefined) return { ok: false, message: `page must be a positive integer, got ${JSON.stringify(rawPage)}` };
    const perPage = rawPerPage === null || limits.ignorePerPage === true ? limits.defaultPerPage : positiveInteger(rawPerPage);
    if (perPage === undefined) return { ok: false, message: `per_page must be a positive integer, got ${JSON.stringify(rawPerPage)}` };
    if (perPage > limits.maxPerPage && limits.aboveMax === "refuse")
        return { ok: false, message: perPageTooLargeMessage(perPage, limits.maxPerPage) };
    // By default too large a page size is clamped: result_info.per_page tells the client what it got.
    return { ok: true, page, perPage: Math.min(perPage, limits.maxPerPage) };
}

/** One page of `items` and its `result_info`; a page past the end is empty but still truthful about totals. */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): { items: T[]; resultInfo: ResultInfo } {
    const start = (page - 1) * perPage;
    const slice = items.slice(start, start + perPage);
    return {
        items: slice,
        resultInfo: {
            count: slice.length,
            page,
            per_page: perPage,
            total_count: items.length,
            total_pages: Math.ceil(items.length / perPage),
        },
    };
}
