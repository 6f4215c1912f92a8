import type { WireRiskUser } from "./schema";
import { type RiskLevel, riskLevels } from "../model/riskLevel";

// zod's patterns for `z.guid()` and `z.iso.datetime({ offset: true })`, the schema's checks of these
// fields, copied so that this loop runs without loading zod (test/unit/provider/client/checkUsers.test.ts holds
// them to zod's own, and this loop to zod on random input).
export const userIdPattern = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
export const lastEventPattern =
    /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;
const levels = new Set<string>(riskLevels);

/**
 * The checks of `riskUserSchema` on every user, as one plain loop, faster than zod on a large page
 * (docs/benchmarks.md). It returns the users stripped to the schema's fields, or
 * undefined as soon as one fails a check; the caller then runs zod, whose messages name the field.
 * It must never accept what zod rejects (test/unit/provider/client/checkUsers.test.ts compares them).
 */
export function checkRiskUsers(users: readonly unknown[]): WireRiskUser[] | undefined {
    const checked = new Array<WireRiskUser>(users.length);
    for (let i = 0; i < users.length; i++) {
        const user = users[i];
        if (user === null || typeof user !== "object") return undefined;
        const { email, event_count, last_event, max_risk_level, name, user_id } = user as Record<string, unknown>;
        if (
            typeof email !== "string" ||
            typeof event_count !== "number" ||
            !Number.isSafeInteger(event_count) ||
            event_count < 0 ||
            typeof last_event !== "string" ||
            !lastEventPattern.test(last_event) ||
            typeof max_risk_level !== "string" ||
            !levels.has(max_risk_level) ||
            typeof name !== "string" ||
            typeof user_id !== "string" ||
            !userIdPattern.test(user_id)
        ) {
            return undefined;
        }
        // The schema's key order, as zod would build it.
        checked[i] = { email, event_count, last_event, max_risk_level: max_risk_level as RiskLevel, name, user_id };
    }
    return checked;
}
