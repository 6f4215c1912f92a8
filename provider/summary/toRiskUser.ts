import type { RiskUser } from "../model/riskUser";
import type { WireRiskUser } from "../client/schema";
import type { SameType } from "../model/sameType";

/** The one mapping from wire (snake_case) to SDK (camelCase) field names. */
export const riskUserFieldNames = {
    user_id: "userId",
    email: "email",
    name: "name",
    event_count: "eventCount",
    last_event: "lastEvent",
    max_risk_level: "maxRiskLevel",
} as const satisfies Record<keyof WireRiskUser, string>;

type FieldNames = typeof riskUserFieldNames;
type RiskUserOfWire = { readonly [K in keyof WireRiskUser as FieldNames[K]]: WireRiskUser[K] };

// `RiskUser` is exactly the wire user renamed by the mapping: this stops compiling if they drift.
export const riskUserMatchesWire: SameType<RiskUser, RiskUserOfWire> = true;

/** One object literal, so that every user gets its final shape at once; test/unit/provider/summary/toRiskUser.test.ts holds it to the mapping. */
export function toRiskUser(wire: WireRiskUser): RiskUser {
    return {
        userId: wire.user_id,
        email: wire.email,
        name: wire.name,
        eventCount: wire.event_count,
        lastEvent: wire.last_event,
        maxRiskLevel: wire.max_risk_level,
    };
}
