import { z } from "zod";
import { type WireRiskUser, riskLevelSchema } from "./schema";
import { type RiskLevel } from "../model/riskLevel";

// zod's public patterns for `z.guid()` and `z.iso.datetime({ offset: true })`, the schema's checks of
// these fields (test/unit/checkRiskUsers.test.ts holds this loop to zod on random input).
const userIdPattern = z.regexes.guid;
const lastEventPattern = z.regexes.datetime({ offset: true, local: false, precision: null });
const levels = new Set<string>(riskLevelSchema.options);

/**
 * The checks of `riskUserSchema` on every user, as one plain loop, faster than zod on a large page
 * (docs/benchmarks.md). It returns the users stripped to the schema's fields, or
 * undefined as soon as one fails a check; the caller then runs zod, whose messages name the field.
 * It must never accept what zod rejects (test/unit/checkRiskUsers.test.ts compares them).
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
