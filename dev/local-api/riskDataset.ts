import type { WireRiskUser } from "../../provider/client/schema";
import type { RiskLevel } from "../../provider/model/riskLevel";
import { seededRandom } from "./seededRandom";

/**
 * The local API's fake users: deterministic from a seed, shaped and distributed like a real
 * account's risk summary, so that paging, level counts and diffs can be asserted exactly.
 */

export interface RiskDatasetOptions {
    /** Number of users (default 2,000, the size in Cloudflare's reference example). */
    size?: number;
    seed?: number;
    /** Email domains; earlier ones get more users (weight 1/(i+1)), like a main domain and its satellites. */
    domains?: readonly string[];
}

export const defaultDatasetSize = 2000;
export const defaultDatasetSeed = 1;
export const defaultEmailDomains = ["example.com", "corp.example", "contractors.example.net"] as const;

/**
 * The dataset's "now": last events fall in the 30 days before it. Fixed rather than `Date.now()`
 * so that the same seed gives byte-identical output on every run.
 */
export const riskDatasetReferenceDate = new Date("2025-01-31T00:00:00.000Z");
const thirtyDaysMs = 30 * 24 * 60 * 60 * 1000;

/** Event counts per level, so that a user's count never contradicts their level. */
export const eventCountRanges: Readonly<Record<RiskLevel, { min: number; max: number }>> = {
    low: { min: 0, max: 9 },
    medium: { min: 10, max: 59 },
    high: { min: 60, max: 250 },
};

const firstNames = [
    "Aisha",
    "Alejandro",
    "Amelia",
    "Arjun",
    "Beatriz",
    "Chen",
    "Chloé",
    "Daniel",
    "Dmitri",
    "Elena",
    "Emeka",
    "Fatima",
    "Hannah",
    "Hiroshi",
    "Ingrid",
    "Isabella",
    "James",
    "Jana",
    "Kofi",
    "Lars",
    "Layla",
    "Liam",
    "Lucía",
    "Mateo",
    "Mei",
    "Mohammed",
    "Nadia",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Rafael",
    "Sakura",
    "Samuel",
    "Siobhan",
    "Sofia",
    "Tariq",
    "Thomas",
    "Yara",
    "Zoe",
] as const;
const lastNames = [
    "Adeyemi",
    "Andersen",
    "Bauer",
    "Chen",
    "Costa",
    "Dubois",
    "Fernández",
    "Fischer",
    "García",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kim",
    "Kowalski",
    "Lee",
    "Martin",
    "Müller",
    "Nakamura",
    "Nguyen",
    "Novak",
    "O'Brien",
    "Okafor",
    "Patel",
    "Petrov",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Tanaka",
    "Van der Berg",
    "Wang",
    "Williams",
    "Wójcik",
    "Yilmaz",
    "Zhang",
] as const;

/** ~70% low, ~22% medium, ~8% high, the usual long tail of a risk distribution. */
function drawLevel(r: number): RiskLevel {
    if (r < 0.7) return "low";
    if (r < 0.92) return "medium";
    return "high";
}

/** ASCII local part: "Lucía O'Brien" -> "lucia.obrien". */
function emailLocalPart(first: string, last: string): string {
    const clean = (s: string): string =>
        s
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .toLowerCase()
            .replace(/[^a-z]/g, "");
    return `${clean(first)}.${clean(last)}`;
}

export function generateRiskDataset(options: RiskDatasetOptions = {}): WireRiskUser[] {
    const size = options.size ?? defaultDatasetSize;
    const seed = options.seed ?? defaultDatasetSeed;
    const domains = options.domains ?? defaultEmailDomains;
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    if (domains.length === 0) throw new RangeError("domains must not be empty");

    const rng = seededRandom(seed);
    const weights = domains.map((_, i) => 1 / (i + 1));
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    const pickDomain = (): string => {
        let r = rng.next() * totalWeight;
        for (let i = 0; i < domains.length; i++) {
            r -= weights[i] as number;
            if (r < 0) return domains[i] as string;
        }
        return domains[domains.length - 1] as string;
    };

    const usedEmails = new Set<string>();
    const users: WireRiskUser[] = [];
    for (let i = 0; i < size; i++) {
        const first = rng.pick(firstNames);
        const last = rng.pick(lastNames);
        const domain = pickDomain();
        const base = emailLocalPart(first, last);
        // Namesakes get a numeric suffix, as mail systems do, so emails stay unique keys.
        let email = `${base}@${domain}`;
        for (let n = 2; usedEmails.has(email); n++) email = `${base}${n}@${domain}`;
        usedEmails.add(email);

        const level = drawLevel(rng.next());
        const range = eventCountRanges[level];
        users.push({
            email,
            event_count: rng.int(range.min, range.max),
            last_event: new Date(riskDatasetReferenceDate.getTime() - rng.int(0, thirtyDaysMs)).toISOString(),
            max_risk_level: level,
            name: `${first} ${last}`,
            user_id: rng.uuid(),
        });
    }
    return users;
}

/**
 * The user after a (simulated) new event moved them to `level`: the event happened at the
 * dataset's reference date, and the count is nudged into the new level's range.
 */
export function withRiskLevel(user: WireRiskUser, level: RiskLevel): WireRiskUser {
    const range = eventCountRanges[level];
    const eventCount = Math.min(range.max, Math.max(range.min, user.event_count + 1));
    const at = riskDatasetReferenceDate.toISOString();
    return {
        ...user,
        max_risk_level: level,
        event_count: eventCount,
        last_event: user.last_event > at ? user.last_event : at,
    };
}
