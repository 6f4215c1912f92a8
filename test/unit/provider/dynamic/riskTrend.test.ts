import * as pulumi from "@pulumi/pulumi";
import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";
import * as trendProvider from "../../../../provider/dynamic/riskTrend";
import type { RiskGateRules } from "../../../../provider/baseline/gate";
import type { RiskTrendResourceInputs } from "../../../../provider/baseline/record";
import type { RiskUser } from "../../../../provider/model/riskUser";
import { decodeStoredList, encodeStoredList } from "../../../../provider/storage/storedList";
import { RiskGate, RiskTrend } from "../../../../index";
import { secretSignatureKey, unwrapSecrets } from "../../../support/riskSummaryMocks";

// A mock engine that does what the real one does for these resources: `check` against the inputs
// last deployed under the same name, refuse on check failures, store the checked inputs.
const deployed = new Map<string, Record<string, unknown>>();
const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(() => {
    pulumi.runtime.setMocks(
        {
            newResource: async (args) => {
                registered.push(args);
                const news = unwrapSecrets(args.inputs) as RiskTrendResourceInputs & Record<string, unknown>;
                const { inputs, failures } = await trendProvider.check(deployed.get(args.name) ?? {}, news);
                if (failures !== undefined && failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
                deployed.set(args.name, inputs!);
                return { id: `${args.name}-id`, state: inputs! };
            },
            call: () => ({}),
        },
        "trend-project",
        "dev",
        false,
    );
});

beforeEach(() => {
    deployed.clear();
    registered.length = 0;
});

const accountId = "0123456789abcdef0123456789abcdef";
const user = (n: number, maxRiskLevel: RiskUser["maxRiskLevel"]): RiskUser => ({
    userId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    email: `user${n}@example.com`,
    name: `User ${n}`,
    eventCount: n,
    lastEvent: "2026-11-01T00:00:00Z",
    maxRiskLevel,
});
const summary = (fetchedAt: string, users: RiskUser[]) => ({ accountId, fetchedAt, users });

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

describe("RiskTrend", () => {
    it("reports no trend on the first deployment, then who moved since the previous one", async () => {
        const first = new RiskTrend("trend", {
            summary: summary("2026-11-01T00:00:00.000Z", [user(1, "low"), user(2, "high"), user(3, "medium")]),
        });
        expect(await valueOf(first.hasBaseline)).toBe(false);
        expect(await valueOf(first.changeCounts)).toBeUndefined();
        expect(await valueOf(first.since)).toBeUndefined();
        expect(await valueOf(first.escalated)).toEqual([]);

        const second = new RiskTrend("trend", {
            summary: summary("2026-11-02T00:00:00.000Z", [user(1, "high"), user(2, "medium"), user(4, "low")]),
        });
        expect(await valueOf(second.hasBaseline)).toBe(true);
        expect(await valueOf(second.since)).toBe("2026-11-01T00:00:00.000Z");
        expect(await valueOf(second.changeCounts)).toEqual({ escalated: 1, deescalated: 1, appeared: 1, left: 1 });
        expect(await valueOf(second.escalated)).toEqual([
            { userId: user(1, "high").userId, email: "user1@example.com", from: "low", to: "high" },
        ]);
        expect(await valueOf(second.deescalated)).toEqual([
            { userId: user(2, "high").userId, email: "user2@example.com", from: "high", to: "medium" },
        ]);
        expect(await valueOf(second.appeared)).toEqual([
            { userId: user(4, "low").userId, email: "user4@example.com", from: null, to: "low" },
        ]);
        expect(await valueOf(second.left)).toEqual([
            { userId: user(3, "low").userId, email: "user3@example.com", from: "medium", to: null },
        ]);
    });

    it("keeps the snapshot and the changes secret, the counts plain, unless the program opts out", async () => {
        const trend = new RiskTrend("secret-trend", { summary: summary("2026-11-01T00:00:00.000Z", [user(1, "low")]) });
        expect(await pulumi.isSecret(trend.escalated)).toBe(true);
        expect(await pulumi.isSecret(trend.changeCounts)).toBe(false);
        expect((registered[0]!.inputs.record as Record<string, unknown>)[secretSignatureKey]).toBeDefined();
        const plain = new RiskTrend("plain-trend", {
            summary: summary("2026-11-01T00:00:00.000Z", [user(1, "low")]),
            secretPersonalData: false,
        });
        expect(await pulumi.isSecret(plain.escalated)).toBe(false);
        expect((registered[1]!.inputs.record as Record<string, unknown>)[secretSignatureKey]).toBeUndefined();
    });

    it("sends the levels, sorted by user id, as one compressed string", async () => {
        const trend = new RiskTrend("compressed", {
            summary: summary("2026-11-01T00:00:00.000Z", [user(2, "high"), user(1, "low")]),
            secretPersonalData: false,
        });
        await valueOf(trend.hasBaseline);
        const levels = (registered[0]!.inputs.record as { levels: unknown }).levels;
        expect(typeof levels).toBe("string");
        expect(decodeStoredList(levels as string, "levels")).toEqual([
            { userId: user(1, "low").userId, email: "user1@example.com", level: "low" },
            { userId: user(2, "high").userId, email: "user2@example.com", level: "high" },
        ]);
    });

    it("starts over when the account changes", async () => {
        await valueOf(new RiskTrend("moved", { summary: summary("2026-11-01T00:00:00.000Z", [user(1, "low")]) }).hasBaseline);
        const other = new RiskTrend("moved", {
            summary: { ...summary("2026-11-02T00:00:00.000Z", [user(1, "high")]), accountId: "f".repeat(32) },
        });
        expect(await valueOf(other.hasBaseline)).toBe(false);
    });

    it("rejects a missing summary with an error naming it", () => {
        expect(() => new RiskTrend("bad", {} as never)).toThrow(RiskSummaryArgumentError);
        expect(() => new RiskTrend("bad", {} as never)).toThrow(/Invalid argument "summary": is required/);
    });
});

describe("RiskGate", () => {
    // A failed registration ends a real program; here the provider's answer is checked directly.
    const gateInputs = (fetchedAt: string, levels: RiskTrendResourceInputs["record"]["levels"], rules: RiskGateRules) => ({
        accountId,
        record: { fetchedAt, levels },
        gate: { name: "gate", rules, mode: "enforce" as const, revealEmails: false },
    });

    it("in enforce mode fails check with the rule and masked offenders", async () => {
        const levels = [user(1, "high"), user(2, "high")].map((u) => ({ userId: u.userId, email: u.email, level: u.maxRiskLevel }));
        const { failures } = await trendProvider.check({}, gateInputs("2026-11-01T00:00:00.000Z", levels, { maxHighRiskUsers: 1 }));
        expect(failures).toEqual([
            {
                property: "",
                reason: expect.stringMatching(
                    /^Risk gate "gate" blocked this deployment[\s\S]*maxHighRiskUsers: 2 users are at high risk, more than the 1 allowed: u\*\*\*@example\.com, u\*\*\*@example\.com/,
                ),
            },
        ]);
    });

    it("in warn mode deploys and reports the violations, plain when masked", async () => {
        const gate = new RiskGate("gate", {
            summary: summary("2026-11-01T00:00:00.000Z", [user(1, "high"), user(2, "high")]),
            rules: { maxHighRiskUsers: 1 },
            mode: "warn",
        });
        const violations = await valueOf(gate.violations);
        expect(violations.map((v) => v.rule)).toEqual(["maxHighRiskUsers"]);
        expect(await pulumi.isSecret(gate.violations)).toBe(false);
        const revealed = new RiskGate("revealed", {
            summary: summary("2026-11-01T00:00:00.000Z", [user(1, "high")]),
            rules: { maxHighRiskUsers: 0 },
            mode: "warn",
            revealEmails: true,
        });
        expect((await valueOf(revealed.violations))[0]!.message).toContain("user1@example.com");
        expect(await pulumi.isSecret(revealed.violations)).toBe(true);
    });

    it("fails on an escalation to high only once there is a baseline", async () => {
        const rules = { failOnEscalationToHigh: true };
        const before = gateInputs("2026-11-01T00:00:00.000Z", [{ userId: "1", email: "u1@example.com", level: "medium" }], rules);
        const first = await trendProvider.check({}, before);
        expect(first.failures).toBeUndefined();
        const after = await trendProvider.check(
            first.inputs!,
            gateInputs("2026-11-02T00:00:00.000Z", [{ userId: "1", email: "u1@example.com", level: "high" }], rules),
        );
        expect(after.failures![0]!.reason).toMatch(
            /failOnEscalationToHigh: 1 users rose to high risk since the last deployment: u\*\*\*@example\.com \(medium → high\)/,
        );
    });

    it("rejects bad rules, mode and revealEmails before registering anything", () => {
        const s = summary("2026-11-01T00:00:00.000Z", []);
        expect(() => new RiskGate("g", { summary: s, rules: { maxHighRiskUsers: "3" } as never })).toThrow(
            /Invalid argument "rules.maxHighRiskUsers"/,
        );
        expect(() => new RiskGate("g", { summary: s, rules: {}, mode: "off" as never })).toThrow(/Invalid argument "mode"/);
        expect(() => new RiskGate("g", { summary: s, rules: {}, revealEmails: "yes" as never })).toThrow(/Invalid argument "revealEmails"/);
        expect(registered).toEqual([]);
    });
});

describe("riskTrendProvider", () => {
    const news = {
        accountId,
        record: { fetchedAt: "2026-11-02T00:00:00.000Z", levels: [{ userId: "1", email: "a@example.com", level: "low" as const }] },
    };

    it("sees no change when only the read time moved", async () => {
        const { inputs: olds } = await trendProvider.check({}, news);
        const { inputs: again } = await trendProvider.check(olds!, {
            ...news,
            record: { ...news.record, fetchedAt: "2026-11-03T00:00:00.000Z" },
        });
        // The trend went from "first deployment" to "nothing changed": one update, then quiet.
        expect((await trendProvider.diff("id", olds!, again!)).changes).toBe(true);
        const { inputs: third } = await trendProvider.check(again!, {
            ...news,
            record: { ...news.record, fetchedAt: "2026-11-04T00:00:00.000Z" },
        });
        expect((await trendProvider.diff("id", again!, third!)).changes).toBe(false);
    });

    it("compares compressed levels with a baseline an earlier version stored as a plain list", async () => {
        const legacy = {
            accountId,
            record: { fetchedAt: "2026-11-01T00:00:00.000Z", levels: [{ userId: "1", email: "a@example.com", level: "low" as const }] },
        };
        const compressed = {
            accountId,
            record: {
                fetchedAt: "2026-11-02T00:00:00.000Z",
                levels: encodeStoredList([{ userId: "1", email: "a@example.com", level: "high" }]),
            },
        };
        const { inputs } = await trendProvider.check(legacy, compressed);
        expect(inputs!.record.trend).toEqual({
            escalated: [{ userId: "1", email: "a@example.com", from: "low", to: "high" }],
            deescalated: [],
            appeared: [],
            left: [],
        });
        expect(inputs!.record.levels).toBe(compressed.record.levels);
    });

    it("starts over, as for a new account, when the stored baseline cannot be read", async () => {
        const damaged = { accountId, record: { fetchedAt: "2026-11-01T00:00:00.000Z", levels: "not compressed" } };
        const { inputs, failures } = await trendProvider.check(damaged, {
            ...news,
            record: { ...news.record, levels: encodeStoredList(news.record.levels) },
        });
        expect(failures).toBeUndefined();
        expect(inputs!.record.trend).toBeNull();
        expect(inputs!.record.previousFetchedAt).toBeNull();
    });

    it("passes unknown values through during a preview, and creates, updates and deletes nothing outside the state", async () => {
        const unknown = { accountId, record: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } as never;
        expect(await trendProvider.check({}, unknown)).toEqual({ inputs: unknown });
        expect(await trendProvider.create(news as never)).toEqual({ id: accountId, outs: news });
        expect(await trendProvider.update("id", news as never, news as never)).toEqual({ outs: news });
        await expect(trendProvider.remove()).resolves.toBeUndefined();
    });
});
