import { createHash } from "node:crypto";
import { type RiskUser, byEmailThenId } from "../model/riskUser";

/**
 * The canonical form of a user: an array of its fields in this order, so that the digest depends on
 * the data only, never on how an object was built. The state stores the users in this form too.
 */
export const canonicalKeys = [
    "userId",
    "email",
    "name",
    "maxRiskLevel",
    "eventCount",
    "lastEvent",
] as const satisfies readonly (keyof RiskUser)[];

export type CanonicalRiskUser = readonly [string, string, string, RiskUser["maxRiskLevel"], number, string];

/** One array literal in `canonicalKeys` order (test/unit/provider/storage/storedRiskUsers.test.ts holds both directions to it). */
export function toCanonicalRiskUser(u: RiskUser): CanonicalRiskUser {
    return [u.userId, u.email, u.name, u.maxRiskLevel, u.eventCount, u.lastEvent];
}

export function fromCanonicalRiskUser(c: CanonicalRiskUser): RiskUser {
    return { userId: c[0], email: c[1], name: c[2], eventCount: c[4], lastEvent: c[5], maxRiskLevel: c[3] };
}

function isSortedByEmailThenId(users: readonly RiskUser[]): boolean {
    for (let i = 1; i < users.length; i++) if (byEmailThenId(users[i - 1]!, users[i]!) > 0) return false;
    return true;
}

/** Users sorted by email then id, each in its canonical form, as one JSON text. */
export function canonicalRiskUsersJson(users: readonly RiskUser[]): string {
    // Every list the package makes is sorted already; checking that is far cheaper than sorting again.
    const sorted = isSortedByEmailThenId(users) ? users : [...users].sort(byEmailThenId);
    return JSON.stringify(sorted.map(toCanonicalRiskUser));
}

export function sha256Hex(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** Hex SHA-256 of the canonical user list: proves later which users a deployment saw, without holding them. */
export function riskUsersDigest(users: readonly RiskUser[]): string {
    return sha256Hex(canonicalRiskUsersJson(users));
}
