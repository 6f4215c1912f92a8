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

const wireKeys = Object.keys(riskUserFieldNames) as (keyof WireRiskUser)[];

export function toRiskUser(wire: WireRiskUser): RiskUser {
    const user: Record<string, unknown> = {};
    for (const key of wireKeys) {
        user[riskUserFieldNames[key]] = wire[key];
    }
    return user as RiskUser;
}

/** Rank of a level, for "at least" comparisons: low < medium < high. */
export function riskLevelRank(level: RiskLevel): number {
    return riskLevels.indexOf(level);
}

/** The order of every user list the package produces: by email, then id. */
export function byEmailThenId(a: RiskUser, b: RiskUser): number {
    return a.email < b.email ? -1 : a.email > b.email ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}
