import fc from "fast-check";
import { riskUserSchema, type WireRiskUser } from "../../../../provider/client/schema";
import { riskLevels, type RiskLevel } from "../../../../provider/model/riskLevel";
import { LocalApiUsageError, parseCliArgs } from "../../../../dev/local-api/cli";
import {
    defaultEmailDomains,
    eventCountRanges,
    generateRiskDataset,
    riskDatasetReferenceDate,
    seededRandom,
    withRiskLevel,
} from "../../../../dev/local-api";

const thirtyDaysMs = 30 * 24 * 60 * 60 * 1000;

/** Every invariant a generated dataset must hold, whatever its seed and size. */
function expectPlausible(users: WireRiskUser[]): void {
    for (const user of users) {
        riskUserSchema.parse(user);
        const range = eventCountRanges[user.max_risk_level];
        expect(user.event_count).toBeGreaterThanOrEqual(range.min);
        expect(user.event_count).toBeLessThanOrEqual(range.max);
        const at = Date.parse(user.last_event);
        expect(at).toBeLessThanOrEqual(riskDatasetReferenceDate.getTime());
        expect(at).toBeGreaterThanOrEqual(riskDatasetReferenceDate.getTime() - thirtyDaysMs);
        expect(user.email).toMatch(/^[a-z]+\.[a-z]+\d*@[a-z.]+$/);
    }
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.user_id)).size).toBe(users.length);
}

describe("generateRiskDataset", () => {
    const users = generateRiskDataset();

    test("defaults to 2,000 plausible users over the three default domains", () => {
        expect(users).toHaveLength(2000);
        expectPlausible(users);
        const domains = new Set(users.map((u) => u.email.split("@")[1]));
        expect([...domains].sort()).toEqual([...defaultEmailDomains].sort());
        expect(users.some((u) => u.name.includes("'") || /[^\x00-\x7f]/.test(u.name))).toBe(true);
    });

    test("has a realistic level mix (~70% low, ~22% medium, ~8% high)", () => {
        const share = (level: RiskLevel): number => users.filter((u) => u.max_risk_level === level).length / users.length;
        expect(share("low")).toBeGreaterThan(0.65);
        expect(share("low")).toBeLessThan(0.75);
        expect(share("medium")).toBeGreaterThan(0.18);
        expect(share("medium")).toBeLessThan(0.26);
        expect(share("high")).toBeGreaterThan(0.05);
        expect(share("high")).toBeLessThan(0.11);
    });

    test("is deterministic: same seed, same data; different seed, different data", () => {
        expect(generateRiskDataset({ size: 2000, seed: 1 })).toEqual(users);
        expect(generateRiskDataset({ size: 100, seed: 2 })).not.toEqual(users.slice(0, 100));
        // A smaller dataset is a prefix of a larger one with the same seed, so sizes can be compared.
        expect(generateRiskDataset({ size: 100 })).toEqual(users.slice(0, 100));
    });

    test("holds its invariants for any seed and size (property)", () => {
        fc.assert(
            fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), (seed, size) => {
                const generated = generateRiskDataset({ seed, size });
                expect(generated).toHaveLength(size);
                expectPlausible(generated);
            }),
            { numRuns: 40 },
        );
    });

    test("uses the given domains and refuses invalid options", () => {
        const custom = generateRiskDataset({ size: 200, domains: ["a.test", "b.test"] });
        expect(new Set(custom.map((u) => u.email.split("@")[1]))).toEqual(new Set(["a.test", "b.test"]));
        expect(() => generateRiskDataset({ size: -1 })).toThrow(RangeError);
        expect(() => generateRiskDataset({ size: 1.5 })).toThrow(RangeError);
        expect(() => generateRiskDataset({ seed: Number.NaN })).toThrow(RangeError);
        expect(() => generateRiskDataset({ domains: [] })).toThrow(RangeError);
    });

    test("withRiskLevel moves the count into the new level's range and the event to the reference date", () => {
        const base = users[0] as WireRiskUser;
        for (const level of riskLevels) {
            const changed = withRiskLevel(base, level);
            expect(changed).toMatchObject({ email: base.email, user_id: base.user_id, max_risk_level: level });
            expect(changed.event_count).toBeGreaterThanOrEqual(eventCountRanges[level].min);
            expect(changed.event_count).toBeLessThanOrEqual(eventCountRanges[level].max);
            expect(changed.last_event).toBe(riskDatasetReferenceDate.toISOString());
        }
    });
});

describe("seededRandom", () => {
    test("repeats its sequence for a seed and stays in range", () => {
        const a = seededRandom(42);
        const b = seededRandom(42);
        const c = seededRandom(43);
        const seqA = Array.from({ length: 100 }, () => a.next());
        expect(Array.from({ length: 100 }, () => b.next())).toEqual(seqA);
        expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(seqA);
        expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
        const ints = Array.from({ length: 500 }, () => a.int(3, 5));
        expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
        expect(a.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(() => a.pick([])).toThrow(RangeError);
    });
});

describe("parseCliArgs", () => {
    test("maps the flags onto server options", () => {
        expect(
            parseCliArgs([
                "--port",
                "8787",
                "--size",
                "10",
                "--seed",
                "3",
                "--account-id",
                "abcdefabcdefabcdefabcdefabcdefab",
                "--latency-ms",
                "50",
                "--api-token",
                "t",
            ]),
        ).toEqual({
            port: 8787,
            size: 10,
            seed: 3,
            accountId: "abcdefabcdefabcdefabcdefabcdefab",
            latencyMs: 50,
            credentials: { apiToken: "t" },
            control: true,
        });
        expect(parseCliArgs(["--no-control"]).control).toBe(false);
    });

    test("refuses unknown flags, positionals and non-integers", () => {
        expect(() => parseCliArgs(["--bogus"])).toThrow(LocalApiUsageError);
        expect(() => parseCliArgs(["extra"])).toThrow(LocalApiUsageError);
        expect(() => parseCliArgs(["--size", "ten"])).toThrow(LocalApiUsageError);
    });
});
