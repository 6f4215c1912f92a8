import type { RiskUser } from "../model/riskUser";
import { type CanonicalRiskUser, canonicalRiskUsersJson, fromCanonicalRiskUser } from "../summary/digest";
import { decodeStoredList, encodeStoredJson } from "./storedList";

/**
 * `users` as the provider returns them and the state keeps them: their canonical JSON (provider/summary/digest.ts),
 * compressed (storedList.ts). The audit's `usersSha256` is the SHA-256 of that same text.
 */
export function encodeStoredRiskUsers(users: readonly RiskUser[]): string {
    return encodeStoredCanonicalRiskUsers(canonicalRiskUsersJson(users));
}

/** The same, from a canonical JSON already made (the provider makes it once, for the digest too). */
export function encodeStoredCanonicalRiskUsers(canonicalJson: string): string {
    return encodeStoredJson(canonicalJson);
}

/** Users stored by `encodeStoredRiskUsers`, as the objects 0.2.0 stored compressed, or as the plain list of 0.1.0. */
export function decodeStoredRiskUsers(stored: string | readonly RiskUser[]): RiskUser[] {
    const items = decodeStoredList<RiskUser | CanonicalRiskUser>(stored, "users of a RiskSummary");
    return items.length > 0 && Array.isArray(items[0]) ? (items as CanonicalRiskUser[]).map(fromCanonicalRiskUser) : (items as RiskUser[]);
}
