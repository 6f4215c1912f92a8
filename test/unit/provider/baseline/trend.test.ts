import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";
import { maskEmail, listEmails } from "../../../../provider/summary/maskEmail";
import { buildRiskSummary } from "../../../../provider/summary/buildRiskSummary";
import { buildRiskSummaryAudit } from "../../../../provider/summary/audit";
import { type RiskLevelEntry, compareRiskLevels, countRiskTrend, riskLevelEntriesOf } from "../../../../provider/baseline/trend";
import { canonicalRiskUsersJson, riskUsersDigest } from "../../../../provider/summary/digest";
import { packageVersion } from "../../../../provider/summary/packageVersion";
import { version } from "../../../../package.json";

const entry = (userId: string, level: RiskLevelEntry["level"], email = `${userId}@example.com`): RiskLevelEntry => ({
    userId,
    email,
    level,
});

describe("compareRiskLevels", () => {
    it("sorts users into escalated, de-escalated, appeared and left, matched by id, with old and new levels", () => {
        const previous = [entry("a", "low"), entry("b", "high"), entry("c", "medium"), entry("d", "low"), entry("e", "medium")];
        // `e` changed email but not id or level: not a change.
        const current = [
            entry("e", "medium", "renamed@example.com"),
            entry("c", "high"),
            entry("b", "medium"),
            entry("a", "medium"),
            entry("f", "high"),
        ];
        const changes = compareRiskLevels(previous, current);
        expect(changes).toEqual({
            escalated: [
                { userId: "a", email: "a@example.com", from: "low", to: "medium" },
                { userId: "c", email: "c@example.com", from: "medium", to: "high" },
            ],
            deescalated: [{ userId: "b", email: "b@example.com", from: "high", to: "medium" }],
            appeared: [{ userId: "f", email: "f@example.com", from: null, to: "high" }],
            left: [{ userId: "d", email: "d@example.com", from: "low", to: null }],
        });
        expect(countRiskTrend(changes)).toEqual({ escalated: 2, deescalated: 1, appeared: 1, left: 1 });
    });

    it("reports nothing between identical snapshots, in any order", () => {
        const users = buildRiskSummary("0".repeat(32), generateRiskDataset({ size: 200, seed: 3 }), {}, new Date()).users;
        const entries = riskLevelEntriesOf(users);
        expect(compareRiskLevels(entries, [...entries].reverse())).toEqual({ escalated: [], deescalated: [], appeared: [], left: [] });
        expect(entries.map((e) => e.userId)).toEqual([...entries.map((e) => e.userId)].sort());
    });
});

describe("riskUsersDigest", () => {
    const users = buildRiskSummary("0".repeat(32), generateRiskDataset({ size: 50, seed: 9 }), {}, new Date()).users;

    it("depends on the users, not on their order or the order of their keys", () => {
        const reordered = [...users].reverse().map((u) => Object.fromEntries(Object.entries(u).reverse()) as typeof u);
        expect(riskUsersDigest(reordered)).toBe(riskUsersDigest(users));
        expect(riskUsersDigest(users)).toMatch(/^[0-9a-f]{64}$/);
    });

    it("changes when any field of any user changes", () => {
        const base = riskUsersDigest(users);
        const first = users[0]!;
        for (const changed of [
            { ...first, maxRiskLevel: first.maxRiskLevel === "high" ? "low" : "high" },
            { ...first, eventCount: first.eventCount + 1 },
            { ...first, name: `${first.name}.` },
        ] as const) {
            expect(riskUsersDigest([changed, ...users.slice(1)])).not.toBe(base);
        }
        expect(riskUsersDigest(users.slice(1))).not.toBe(base);
        expect(canonicalRiskUsersJson([first])).toBe(
            JSON.stringify([[first.userId, first.email, first.name, first.maxRiskLevel, first.eventCount, first.lastEvent]]),
        );
    });
});

describe("buildRiskSummaryAudit", () => {
    it("holds the account, time, counts, filters, endpoint, version and digest, and no personal data", () => {
        const summary = buildRiskSummary(
            "0123456789abcdef0123456789abcdef",
            generateRiskDataset({ size: 80, seed: 4 }),
            { minRiskLevel: "medium" },
            new Date("2026-11-01T00:00:00Z"),
        );
        const endpoint = "https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/zt_risk_scoring/summary";
        const audit = buildRiskSummaryAudit(summary, endpoint);
        expect(audit).toEqual({
            accountId: summary.accountId,
            fetchedAt: "2026-11-01T00:00:00.000Z",
            counts: summary.counts,
            filters: { minRiskLevel: "medium" },
            usersSha256: riskUsersDigest(summary.users),
            endpoint,
            packageName: "pulumi-cloudflare-risk",
            packageVersion: version,
        });
        const text = JSON.stringify(audit);
        for (const u of summary.users) {
            expect(text).not.toContain(u.email);
            expect(text).not.toContain(u.name);
        }
        expect(packageVersion()).toBe(version);
    });
});

describe("maskEmail", () => {
    it("keeps the first letter and the domain only", () => {
        expect(maskEmail("alice@example.com")).toBe("a***@example.com");
        expect(maskEmail("not-an-email")).toBe("***");
        expect(maskEmail("@example.com")).toBe("***");
        expect(listEmails(["alice@a.com", "bob@b.com", "carol@c.com"], false, 2)).toBe("a***@a.com, b***@b.com and 1 more");
        expect(listEmails(["alice@a.com"], true)).toBe("alice@a.com");
    });
});
