import fc from "fast-check";
import type { MockAgent } from "undici";
import { errorEnvelope, htmlErrorPage, summaryEnvelope } from "../../../../dev/local-api/cloudflareEnvelope";
import {
    CloudflareApiError,
    CloudflareResponseError,
    IncompletePaginationError,
    InconsistentReadError,
    RiskSummaryValidationError,
} from "../../../../provider/client/errors";
import { CloudflareRiskError } from "../../../../provider/errors/cloudflareRiskError";
import { fetchRiskSummary } from "../../../../provider/summary/fetchRiskSummary";
import { defaultPerPage, readAttempts } from "../../../../provider/arguments/defaults";
import type { RiskSummary } from "../../../../provider/summary/riskSummary";
import type { ResultInfo, WireRiskUser } from "../../../../provider/client/schema";
import type { RiskLevel } from "../../../../provider/model/riskLevel";
import type { RiskUser } from "../../../../provider/model/riskUser";
import { answerAfterTurns, origin, propertyReadOptions, summaryAgent } from "../../../support/mockCloudflare";
import { personalTextArb, rfc3339Arb, riskLevelArb } from "../../../support/riskArbitraries";
import { ensure, expectDeepEqual } from "../../../support/cheapExpect";

/*
 * Which page layouts are valid, on a server that does not change while it is read (a changing account
 * is fetchRiskSummary.drift.property.test.ts). The client reads page 1, asking for `perPage` or else
 * 1,000 users per page, then asks the later pages for the page size that page 1's
 * `result_info.per_page` reports (the one it asked for when that field is missing or not a positive
 * integer); with `result_info` it reads pages 2..T, where T is `total_pages` of page 1. The read is
 * one state of the account when no user is listed twice and the users number page 1's `total_count`
 * (without `result_info`, whatever page 1 lists): it returns them. Users listed twice, or more users
 * than counted, look like an account that changed: the read starts again from page 1, and after
 * `readAttempts` such reads it fails with InconsistentReadError, or, when a later page repeated page 1
 * on every read, with IncompletePaginationError. Fewer users than counted, none listed twice, fails with
 * IncompletePaginationError at once. A page answered with an error fails the read with that page's
 * typed error, if the page is among 1..T.
 */

const numRuns = 10_000;
const propertyTimeoutMs = 300_000;

// ---- the account's users ---------------------------------------------------------------------

type UserContent = Omit<WireRiskUser, "user_id" | "max_risk_level" | "event_count">;

// A few rich templates per run, reused by many users: equal emails are common, so the id must break ties.
const templateArb: fc.Arbitrary<UserContent> = fc.record(
    {
        email: fc.oneof(
            fc.constantFrom("a@example.com", "A@example.com", "b@example.org", "zoë@例え.jp", "", "a@example.com "),
            personalTextArb(8),
        ),
        name: personalTextArb(8),
        last_event: rfc3339Arb,
    },
    { noNullPrototype: true },
);

interface Row {
    readonly template: number;
    readonly level: RiskLevel;
    readonly count: number;
    readonly ownEmail: boolean;
}

const rowArb: fc.Arbitrary<Row> = fc.record({ template: fc.nat(), level: riskLevelArb, count: fc.nat(1_000), ownEmail: fc.boolean() });

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");

interface Identity {
    readonly salt: number;
    readonly multiplier: number;
    readonly upperCase: boolean;
}

/** Unique per index; the first group is a bijection of the index, so ids do not sort in index order. */
function userIdOf(index: number, identity: Identity): string {
    const scrambled = (Math.imul(index, identity.multiplier | 1) + identity.salt) >>> 0;
    const id = `${hex(scrambled, 8)}-5e1a-4fe4-a799-${hex(index, 12)}`;
    return identity.upperCase ? id.toUpperCase() : id;
}

function usersOf(rows: readonly Row[], firstIndex: number, templates: readonly UserContent[], identity: Identity): WireRiskUser[] {
    return rows.map((row, i) => {
        const template = templates[row.template % templates.length]!;
        const index = firstIndex + i;
        return {
            email: row.ownEmail ? `${template.email}${index}` : template.email,
            name: template.name,
            event_count: row.count,
            last_event: template.last_event,
            max_risk_level: row.level,
            user_id: userIdOf(index, identity),
        };
    });
}

// ---- layouts ---------------------------------------------------------------------------------

// By name, so that a counterexample prints the name rather than the class's source.
const pageErrors = { CloudflareApiError, CloudflareResponseError, RiskSummaryValidationError } as const;
type PageErrorName = keyof typeof pageErrors;

type BrokenKind = "404 error envelope" | "502 HTML page" | "invalid user" | "success false" | "429 error envelope";

/** Server behaviour beyond Cloudflare's: page numbers below are taken modulo the pages there are. */
interface Quirks {
    /** Every page answers with page 1 (a proxy that drops the query). */
    readonly ignorePage: boolean;
    /** Added to `total_count` (users claimed but never listed). */
    readonly extraCount: number;
    /** Added to `total_pages`: negative stops the walk early, positive asks for empty pages past the end. */
    readonly pagesDelta: number;
    /** Page `page` lists the users of an earlier page `of` instead of its own. */
    readonly repeats: readonly { readonly page: number; readonly of: number }[];
    /** Page `page` also lists these users of the account (a user listed twice). */
    readonly duplicates: readonly { readonly page: number; readonly picks: readonly number[]; readonly first: boolean }[];
    /** Page `page` answers with an error. */
    readonly broken: { readonly page: number; readonly kind: BrokenKind } | undefined;
    /** What `result_info.per_page` says: the page size (as documented), or something loose that the client must not trip on. */
    readonly perPageShown: "actual" | "zero" | "absent" | "string";
}

interface Layout {
    /** The account when the read starts. */
    readonly users: readonly WireRiskUser[];
    /** The server's page size. */
    readonly perPage: number;
    /** Pass `perPage` to the client (else it learns it from page 1). */
    readonly askPerPage: boolean;
    readonly concurrency: number;
    readonly withResultInfo: boolean;
    readonly quirks: Quirks;
    /** Event-loop turns before each page answers, cycled over the pages: any completion order. */
    readonly ticks: readonly number[];
}

const maxPages = 25;

/** Mostly `usual`, now and then something from `unusual`. */
const mostly = <T>(usual: T, unusual: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: fc.constant(usual), weight: 4 }, { arbitrary: unusual, weight: 1 });

const quirksArb: fc.Arbitrary<Quirks> = fc.record({
    ignorePage: mostly(false, fc.constant(true)),
    extraCount: mostly(0, fc.integer({ min: 1, max: 5 })),
    pagesDelta: mostly(0, fc.integer({ min: -3, max: 3 })),
    repeats: mostly([], fc.array(fc.record({ page: fc.nat(), of: fc.nat() }), { minLength: 1, maxLength: 2 })),
    duplicates: mostly(
        [],
        fc.array(fc.record({ page: fc.nat(), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), first: fc.boolean() }), {
            minLength: 1,
            maxLength: 3,
        }),
    ),
    broken: mostly(
        undefined,
        fc.record({
            page: fc.nat(),
            kind: fc.constantFrom<BrokenKind>("404 error envelope", "502 HTML page", "invalid user", "success false", "429 error envelope"),
        }),
    ),
    perPageShown: mostly("actual" as const, fc.constantFrom("zero" as const, "absent" as const, "string" as const)),
});

const layoutArb: fc.Arbitrary<Layout> = fc
    .record({
        // Mostly small accounts, a quarter up to 300 users.
        rows: fc.oneof(
            { arbitrary: fc.array(rowArb, { maxLength: 30, size: "max" }), weight: 3 },
            { arbitrary: fc.array(rowArb, { maxLength: 300, size: "max" }), weight: 1 },
        ),
        templates: fc.array(templateArb, { minLength: 1, maxLength: 6 }),
        identity: fc.record({ salt: fc.nat(), multiplier: fc.nat(), upperCase: mostly(false, fc.constant(true)) }),
        targetPages: fc.integer({ min: 1, max: maxPages }),
        slack: fc.constantFrom(0, 0, 0, 1, 2, 7),
        askPerPage: fc.boolean(),
        concurrency: fc.integer({ min: 1, max: 12 }),
        withResultInfo: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
        quirks: quirksArb,
        ticks: fc.array(fc.nat(6), { minLength: 1, maxLength: 8 }),
    })
    .map((g) => ({
        users: usersOf(g.rows, 0, g.templates, g.identity),
        // Sized so that the account spans about `targetPages` pages.
        perPage: Math.ceil(Math.max(1, g.rows.length) / g.targetPages) + g.slack,
        askPerPage: g.askPerPage,
        concurrency: g.concurrency,
        withResultInfo: g.withResultInfo,
        quirks: g.quirks,
        ticks: g.ticks,
    }));

// ---- the server ------------------------------------------------------------------------------

type Served =
    | { readonly kind: "page"; readonly users: readonly WireRiskUser[]; readonly info: ResultInfo | undefined }
    | {
          readonly kind: "broken";
          readonly status: number;
          readonly contentType: string;
          readonly body: string;
          readonly error: PageErrorName;
      };

/** What the server answers for each page number, as a pure function of the layout. */
function serverOf(layout: Layout): (page: number) => Served {
    const { perPage, quirks } = layout;
    const basePages = Math.max(1, Math.ceil(layout.users.length / perPage));
    const pageOf = (pick: number) => 1 + (pick % (basePages + 1));
    const slice = (users: readonly WireRiskUser[], page: number) => users.slice((page - 1) * perPage, page * perPage);

    return (page) => {
        if (quirks.broken !== undefined && pageOf(quirks.broken.page) === page) return brokenResponse(quirks.broken.kind, layout.users);
        const account = layout.users;
        const asked = quirks.ignorePage ? 1 : page;
        let users = slice(account, asked);
        for (const repeat of quirks.repeats) {
            const at = 2 + (repeat.page % basePages);
            if (at === page) users = slice(account, 1 + (repeat.of % (at - 1)));
        }
        for (const dup of quirks.duplicates) {
            if (pageOf(dup.page) !== page || account.length === 0) continue;
            const copies = dup.picks.map((pick) => account[pick % account.length]!);
            users = dup.first ? [...copies, ...users] : [...users, ...copies];
        }
        const shown = { actual: perPage, zero: 0, absent: undefined, string: String(perPage) }[quirks.perPageShown];
        const info = layout.withResultInfo
            ? ({
                  count: users.length,
                  page: asked,
                  ...(shown === undefined ? {} : { per_page: shown }),
                  total_count: account.length + quirks.extraCount,
                  total_pages: Math.max(0, Math.ceil(account.length / perPage) + quirks.pagesDelta),
              } as ResultInfo)
            : undefined;
        return { kind: "page", users, info };
    };
}

function brokenResponse(kind: BrokenKind, users: readonly WireRiskUser[]): Served {
    const json = { contentType: "application/json" };
    switch (kind) {
        case "404 error envelope":
            return {
                kind: "broken",
                ...json,
                status: 404,
                body: JSON.stringify(errorEnvelope(7003, "Could not route")),
                error: "CloudflareApiError",
            };
        case "429 error envelope":
            return {
                kind: "broken",
                ...json,
                status: 429,
                body: JSON.stringify(errorEnvelope(10429, "Rate limited")),
                error: "CloudflareApiError",
            };
        case "success false":
            return {
                kind: "broken",
                ...json,
                status: 200,
                body: JSON.stringify(errorEnvelope(1002, "Failed to get risk scores")),
                error: "CloudflareApiError",
            };
        case "502 HTML page":
            return {
                kind: "broken",
                status: 502,
                contentType: "text/html; charset=UTF-8",
                body: htmlErrorPage(502),
                error: "CloudflareResponseError",
            };
        case "invalid user": {
            const bad = {
                ...(users[0] ?? {
                    email: "x",
                    name: "x",
                    event_count: 0,
                    last_event: "2025-01-01T00:00:00Z",
                    user_id: "00000000-0000-0000-0000-000000000000",
                }),
                max_risk_level: "critical",
            };
            const info = { count: 1, page: 1, per_page: 1, total_count: 1, total_pages: 1 };
            return {
                kind: "broken",
                ...json,
                status: 200,
                body: JSON.stringify(summaryEnvelope([bad as unknown as WireRiskUser], info)),
                error: "RiskSummaryValidationError",
            };
        }
    }
}

// ---- what the client must return -------------------------------------------------------------

type Expected =
    | { readonly kind: "users"; readonly users: readonly WireRiskUser[]; readonly pagesRead: number }
    | {
          readonly kind: "incomplete";
          readonly read: number;
          readonly totalCount: number;
          readonly pagesRead: number;
          readonly reads: number;
      }
    | { readonly kind: "inconsistent"; readonly pagesRead: number }
    | { readonly kind: "error"; readonly error: PageErrorName };

/** The rule of the header comment, walked page by page with no concurrency. `pagesRead` is per read. */
function expectedOf(serve: (page: number) => Served): Expected {
    const first = serve(1);
    if (first.kind === "broken") return { kind: "error", error: first.error };
    const pages = [first];
    if (first.info !== undefined) {
        for (let page = 2; page <= first.info.total_pages; page++) {
            const served = serve(page);
            if (served.kind === "broken") return { kind: "error", error: served.error };
            pages.push(served);
        }
    }
    const byId = new Map<string, WireRiskUser>();
    let repeated = 0;
    for (const page of pages) {
        for (const user of page.users) {
            if (byId.has(user.user_id)) repeated++;
            else byId.set(user.user_id, user);
        }
    }
    const totalCount = first.info?.total_count ?? byId.size;
    if (repeated === 0 && byId.size === totalCount) return { kind: "users", users: [...byId.values()], pagesRead: pages.length };
    if (repeated === 0 && byId.size < totalCount)
        return { kind: "incomplete", read: byId.size, totalCount, pagesRead: pages.length, reads: 1 };
    // Every read sees the same pages, so every read looks changed.
    const ids = (page: { readonly users: readonly WireRiskUser[] }) => page.users.map((u) => u.user_id).join(" ");
    const pageOneAgain = pages.slice(1).some((page) => page.users.length > 0 && ids(page) === ids(first));
    if (repeated > 0 && pageOneAgain)
        return { kind: "incomplete", read: byId.size, totalCount, pagesRead: pages.length, reads: readAttempts };
    return { kind: "inconsistent", pagesRead: pages.length };
}

/** The order the package promises: by email, then id, comparing UTF-16 code units. */
function byEmailThenId(a: RiskUser, b: RiskUser): number {
    if (a.email !== b.email) return a.email < b.email ? -1 : 1;
    return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

function riskUserOf(u: WireRiskUser): RiskUser {
    return {
        userId: u.user_id,
        email: u.email,
        name: u.name,
        eventCount: u.event_count,
        lastEvent: u.last_event,
        maxRiskLevel: u.max_risk_level,
    };
}

// ---- running a layout --------------------------------------------------------------------------

interface Request {
    readonly page: string | null;
    readonly perPage: string | null;
}

/** A MockAgent that serves the layout; each answer waits its page's turns, so pages complete in any order. */
function mockServer(layout: Layout, serve: (page: number) => Served) {
    const requests: Request[] = [];
    const agent = summaryAgent((opts) => {
        const query = new URL(opts.path, origin).searchParams;
        requests.push({ page: query.get("page"), perPage: query.get("per_page") });
        const page = Number(query.get("page") ?? "1");
        const served = serve(page);
        const response =
            served.kind === "broken"
                ? served
                : {
                      status: 200,
                      contentType: "application/json",
                      body: JSON.stringify(
                          served.info === undefined
                              ? { success: true, errors: [], messages: [], result: { users: served.users } }
                              : summaryEnvelope([...served.users], served.info),
                      ),
                  };
        return answerAfterTurns(layout.ticks[(page - 1) % layout.ticks.length]!, response.status, response.contentType, response.body);
    });
    return { agent, requests };
}

function expectSummary(summary: RiskSummary, expected: readonly WireRiskUser[]): void {
    const users = expected.map(riskUserOf).sort(byEmailThenId);
    expectDeepEqual(summary.users, users);
    const ofLevel = (level: RiskLevel) => users.filter((u) => u.maxRiskLevel === level);
    expectDeepEqual(summary.highRiskUsers, ofLevel("high"));
    expectDeepEqual(summary.mediumRiskUsers, ofLevel("medium"));
    expectDeepEqual(summary.lowRiskUsers, ofLevel("low"));
    expectDeepEqual(summary.highRiskEmails, [...new Set(ofLevel("high").map((u) => u.email.toLowerCase()))].sort());
    const counts = {
        total: users.length,
        high: ofLevel("high").length,
        medium: ofLevel("medium").length,
        low: ofLevel("low").length,
        accountTotal: users.length,
    };
    expectDeepEqual(summary.counts, counts);
    expectDeepEqual(counts.high + counts.medium + counts.low, counts.total);
}

/** Pages 1..n, each asked for once per read: page 1 with the page size asked for (or the default), the others with the one page 1 reported. */
function expectRequests(requests: readonly Request[], layout: Layout, pagesRead: number, reads = 1): void {
    const asked = String(layout.askPerPage ? layout.perPage : defaultPerPage);
    const perPage = layout.quirks.perPageShown === "actual" ? String(layout.perPage) : asked;
    const expected: Request[] = [];
    for (let page = 1; page <= pagesRead; page++) {
        for (let read = 0; read < reads; read++) expected.push({ page: String(page), perPage: page === 1 ? asked : perPage });
    }
    const sorted = [...requests].sort((a, b) => Number(a.page ?? "1") - Number(b.page ?? "1"));
    expectDeepEqual(sorted, expected);
}

async function outcomeOf(layout: Layout, agent: MockAgent): Promise<{ summary: RiskSummary } | { error: unknown }> {
    try {
        const summary = await fetchRiskSummary({
            ...propertyReadOptions(agent),
            concurrency: layout.concurrency,
            ...(layout.askPerPage ? { perPage: layout.perPage } : {}),
        });
        return { summary };
    } catch (error) {
        return { error };
    }
}

describe("fetchRiskSummary properties", () => {
    it(
        "returns the users of any page layout that shows one state of the account, sorted, or the typed error the layout calls for",
        async () => {
            await fc.assert(
                fc.asyncProperty(layoutArb, async (layout) => {
                    const serve = serverOf(layout);
                    const expected = expectedOf(serve);
                    const { agent, requests } = mockServer(layout, serve);
                    try {
                        const outcome = await outcomeOf(layout, agent);
                        if (expected.kind === "users") {
                            if ("error" in outcome) throw outcome.error;
                            expectSummary(outcome.summary, expected.users);
                            expectRequests(requests, layout, expected.pagesRead);
                            return;
                        }
                        if ("summary" in outcome) throw new Error(`expected ${expected.kind}, got ${outcome.summary.users.length} users`);
                        const error = outcome.error;
                        ensure(error instanceof CloudflareRiskError, () => expect(error).toBeInstanceOf(CloudflareRiskError));
                        if (expected.kind === "error") {
                            const type = pageErrors[expected.error];
                            ensure((error as Error).constructor === type, () => expect((error as Error).constructor).toBe(type));
                            return;
                        }
                        if (expected.kind === "inconsistent") {
                            ensure(error instanceof InconsistentReadError, () => expect(error).toBeInstanceOf(InconsistentReadError));
                            expectDeepEqual((error as InconsistentReadError).attempts, readAttempts);
                            expectRequests(requests, layout, expected.pagesRead, readAttempts);
                            return;
                        }
                        ensure(error instanceof IncompletePaginationError, () => expect(error).toBeInstanceOf(IncompletePaginationError));
                        const incomplete = error as IncompletePaginationError;
                        expectDeepEqual(
                            { read: incomplete.read, totalCount: incomplete.totalCount, pagesRequested: incomplete.pagesRequested },
                            { read: expected.read, totalCount: expected.totalCount, pagesRequested: expected.pagesRead * expected.reads },
                        );
                        expectRequests(requests, layout, expected.pagesRead, expected.reads);
                    } finally {
                        await agent.close();
                    }
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );
});
