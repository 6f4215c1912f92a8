import { createHash } from "node:crypto";
import { type RiskUser, byEmailThenId } from "../model/riskUser";

// A fixed key order, so that the digest depends on the data only, never on how an object was built.
const canonicalKeys = ["userId", "email", "name", "maxRiskLevel", "eventCount", "lastEvent"] as const satisfies readonly (keyof RiskUser)[];

/** Users sorted by email then id, each as an array in `canonicalKeys` order, as one JSON text. */
export function canonicalRiskUsersJson(users: readonly RiskUser[]): string {
    return JSON.stringify([...users].sort(byEmailThenId).map((u) => canonicalKeys.map((k) => u[k])));
}

/** Hex SHA-256 of the canonical user list: proves later which users a deployment saw, without holding them. */
export function riskUsersDigest(users: readonly RiskUser[]): string {
    return createHash("sha256").update(canonicalRiskUsersJson(users)).digest("hex");
}
