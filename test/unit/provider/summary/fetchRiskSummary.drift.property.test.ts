import fc from "fast-check";
import { summaryEnvelope } from "../../../../dev/local-api/cloudflareEnvelope";
import { InconsistentReadError } from "../../../../provider/client/errors";
import { fetchRiskSummary } from "../../../../provider/summary/fetchRiskSummary";
import { RequestLimiter } from "../../../../provider/client/limiter";
import { readAttempts } from "../../../../provider/arguments/defaults";
import type { RiskSummary } from "../../../../provider/summary/riskSummary";
import type { WireRiskUser } from "../../../../provider/client/schema";
import type { RiskLevel } from "../../../../provider/model/riskLevel";
import { accountId, answerAfterTurns, apiToken, origin, propertyReadOptions, summaryAgent } from "../../../support/mockCloudflare";
import { riskLevelArb } from "../../../support/riskArbitraries";
import { ensure, expectDeepEqual } from "../../../support/cheapExpect";

/*
 * An account that changes while it is read. The server answers each request from the account as it
 * is when the request arrives; between two requests it may apply one change: a user inserted, a user
 * removed, or a user moved to another place (with a new risk level, as when the listing is ordered by
 * risk). Whatever the changes and whatever order the pages complete in, the read returns the users of
 * one state the account was in (each user once, as the server listed that user at some point), with
 * `accountTotal` their number, or fails with InconsistentReadError; and when fewer changes happen than
 * `readAttempts`, it returns.
 */

const numRuns = 3_000;
const propertyTimeoutMs = 300_000;

type Change =
    | { readonly op: "insert"; readonly at: number; readonly level: RiskLevel }
    | { readonly op: "remove"; readonly at: number }
    | { readonly op: "move"; readonly from: number; readonly to: number; readonly level: RiskLevel };

interface Scenario {
    readonly size: number;
    readonly perPage: number;
    readonly concurrency: number;
    /** `changes[k]` lands after the server answers request k (0-based), if set. */
    readonly changes: readonly (Change | null)[];
    /** Event-loop turns before each answer completes, cycled: pages complete in any order. */
    readonly ticks: readonly number[];
}

const changeArb: fc.Arbitrary<Change> = fc.oneof(
    fc.record({ op: fc.constant("insert" as const), at: fc.nat(), level: riskLevelArb }),
    fc.record({ op: fc.constant("remove" as const), at: fc.nat() }),
    fc.record({ op: fc.constant("move" as const), from: fc.nat(), to: fc.nat(), level: riskLevelArb }),
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
    size: fc.integer({ min: 0, max: 60 }),
    perPage: fc.integer({ min: 1, max: 15 }),
    concurrency: fc.integer({ min: 1, max: 6 }),
    // Mostly quiet gaps: a change now and then, sometimes in a burst of consecutive requests.
    changes: fc.array(fc.option(changeArb, { freq: 3 }), { maxLength: 40 }),
    ticks: fc.array(fc.nat(4), { minLength: 1, maxLength: 6 }),
});

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");

function userOf(serial: number, level: RiskLevel): WireRiskUser {
    return {
        email: `user${serial}@example.com`,
        name: `User ${serial}`,
        event_count: serial % 7,
        last_event: "2026-11-01T00:00:00Z",
        max_risk_level: level,
        user_id: `${hex(serial * 2654435761, 8).slice(-8)}-5e1a-4fe4-a799-${hex(serial, 12)}`,
    };
}

/** A server whose account changes between requests as the scenario says; it records every state it went through. */
function driftingServer(scenario: Scenario) {
    let users: WireRiskUser[] = Array.from({ length: scenario.size }, (_, i) => userOf(i, (["low", "medium", "high"] as const)[i % 3]!));
    let serial = scenario.size;
    const states: WireRiskUser[][] = [users];
    let served = 0;
    let changesApplied = 0;

    const apply = (change: Change) => {
        const next = [...users];
        const clamp = (i: number, length: number) => (length === 0 ? 0 : i % length);
        if (change.op === "insert") next.splice(clamp(change.at, next.length + 1), 0, userOf(serial++, change.level));
        else if (next.length === 0) return;
        else if (change.op === "remove") next.splice(clamp(change.at, next.length), 1);
        else {
            const [moved] = next.splice(clamp(change.from, next.length), 1);
            next.splice(clamp(change.to, next.length + 1), 0, {
                ...moved!,
                max_risk_level: change.level,
                event_count: moved!.event_count + 1,
            });
        }
        users = next;
        states.push(users);
        changesApplied++;
    };

    const agent = summaryAgent((opts) => {
        const page = Number(new URL(opts.path, origin).searchParams.get("page") ?? "1");
        const perPage = scenario.perPage;
        const slice = users.slice((page - 1) * perPage, page * perPage);
        const totalPages = Math.ceil(users.length / perPage);
        const body = JSON.stringify(
            summaryEnvelope(slice, { count: slice.length, page, per_page: perPage, total_count: users.length, total_pages: totalPages }),
        );
        const change = scenario.changes[served++];
        if (change) apply(change);
        return answerAfterTurns(scenario.ticks[served % scenario.ticks.length]!, 200, "application/json", body);
    });
    return { agent, states, changesApplied: () => changesApplied };
}

/** The result lists exactly the members of one state, each as some state listed that user. */
function expectOneState(summary: RiskSummary, states: readonly WireRiskUser[][]): void {
    const ids = summary.users.map((u) => u.userId).sort();
    const member = states.some((state) => state.length === ids.length && isDeepEqualSorted(state.map((u) => u.user_id).sort(), ids));
    ensure(member, () =>
        expect({ ids, states: states.map((s) => s.map((u) => u.user_id).sort()) }).toEqual("the users of one state of the account"),
    );
    for (const user of summary.users) {
        const versions = states.flatMap((s) => s.filter((u) => u.user_id === user.userId));
        const listed = versions.some(
            (v) => v.max_risk_level === user.maxRiskLevel && v.event_count === user.eventCount && v.email === user.email,
        );
        ensure(listed, () => expect(user).toEqual(versions));
    }
    expectDeepEqual(summary.counts.accountTotal, ids.length);
}

function isDeepEqualSorted(a: readonly string[], b: readonly string[]): boolean {
    return a.every((id, i) => id === b[i]);
}

describe("fetchRiskSummary while the account changes", () => {
    it(
        "returns the users of one state of the account, or InconsistentReadError; with fewer changes than reads, it returns",
        async () => {
            await fc.assert(
                fc.asyncProperty(scenarioArb, async (scenario) => {
                    const { agent, states, changesApplied } = driftingServer(scenario);
                    try {
                        let summary: RiskSummary;
                        try {
                            summary = await fetchRiskSummary({
                                ...propertyReadOptions(agent),
                                concurrency: scenario.concurrency,
                                perPage: scenario.perPage,
                            });
                        } catch (error) {
                            ensure(error instanceof InconsistentReadError, () => expect(error).toBeInstanceOf(InconsistentReadError));
                            // Only reads that saw a change fail: with fewer changes than reads, one read saw none.
                            ensure(changesApplied() >= readAttempts, () => expect(changesApplied()).toBeGreaterThanOrEqual(readAttempts));
                            return;
                        }
                        expectOneState(summary, states);
                    } finally {
                        await agent.close();
                    }
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );

    it("reads again from page 1 after a user moves to an earlier page mid-read, and returns the account as it then is", async () => {
        // 10 users in pages of 5; after page 1 is served, the last user moves to the front.
        const scenario: Scenario = {
            size: 10,
            perPage: 5,
            concurrency: 1,
            changes: [{ op: "move", from: 9, to: 0, level: "high" }],
            ticks: [0],
        };
        const { agent, states } = driftingServer(scenario);
        try {
            const summary = await fetchRiskSummary({
                accountId,
                apiToken,
                baseUrl: `${origin}/client/v4`,
                dispatcher: agent,
                limiter: new RequestLimiter(),
                concurrency: 1,
                perPage: 5,
            });
            expect(states).toHaveLength(2);
            expectOneState(summary, [states[1]!]);
            expect(summary.highRiskUsers.map((u) => u.email)).toContain("user9@example.com");
        } finally {
            await agent.close();
        }
    });
});
