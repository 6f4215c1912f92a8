import { type RiskLevel, type WireRiskUser, riskLevels } from "./riskSummarySchema";

/** The one mapping from wire (snake_case) to SDK (camelCase) field names; `RiskUser` is derived from it. */
export const riskUserFieldNames = {
    user_id: "userId",
    email: "email",
    name: "name",
    event_count: "eventCount",
    last_event: "lastEvent",
    max_risk_level: "maxRiskLevel",
} as const satisfies Record<keyof WireRiskUser, string>;

type FieldNames = typeof riskUserFieldNames;

/** A Zero Trust user with their highest risk level, as the SDK exposes it. */
export type RiskUser = { readonly [K in keyof WireRiskUser as FieldNames[K]]: WireRiskUser[K] };

// One object literal generated from the mapping: every user gets its final shape in one allocation,
// three times faster than assigning the keys in a loop (docs/benchmarks.md). The names are this
// file's constants, checked to be plain identifiers, never data.
const literalFields = Object.entries(riskUserFieldNames).map(([wire, sdk]) => {
    if (!/^[a-z_]+$/i.test(wire) || !/^[a-z]+$/i.test(sdk)) throw new Error(`riskUserFieldNames: "${wire}" → "${sdk}" is not a pair of identifiers`);
    return `${sdk}: wire.${wire}`;
});
const buildRiskUser = new Function("wire", `"use strict"; return { ${literalFields.join(", ")} };`) as (wire: WireRiskUser) => RiskUser;

export function toRiskUser(wire: WireRiskUser): RiskUser {
    return buildRiskUser(wire);
}

/** Rank of a level, for "at least" comparisons: low < medium < high. */
export function riskLevelRank(level: RiskLevel): number {
    return riskLevels.indexOf(level);
}

/** The order of every user list the package produces: by email, then id. */
export function byEmailThenId(a: RiskUser, b: RiskUser): number {
    return a.email < b.email ? -1 : a.email > b.email ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}
