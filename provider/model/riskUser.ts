import { type RiskLevel, riskLevels } from "./riskLevel";
import { compareStrings } from "./compareStrings";

/**
 * A Zero Trust user with their highest risk level, as the SDK exposes it. Declared plainly so that the
 * published types do not pull in zod's; `toRiskUser.ts` checks it against the wire schema.
 */
export interface RiskUser {
    /** Cloudflare's user id (a UUID). */
    readonly userId: string;
    readonly email: string;
    readonly name: string;
    /** Risk events counted for the user. */
    readonly eventCount: number;
    /** Time of the user's last risk event (ISO 8601). */
    readonly lastEvent: string;
    /** The highest risk level the user reached. */
    readonly maxRiskLevel: RiskLevel;
}

/** Rank of a level, for "at least" comparisons: low < medium < high. */
export function riskLevelRank(level: RiskLevel): number {
    return riskLevels.indexOf(level);
}

/** The order of every user list the package produces: by email, then id. */
export function byEmailThenId(a: RiskUser, b: RiskUser): number {
    return compareStrings(a.email, b.email) || compareStrings(a.userId, b.userId);
}
