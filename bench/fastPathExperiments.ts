import { type RiskLevel, type WireRiskUser, riskLevels, riskUserSchema } from "../provider/riskSummarySchema";
import type { RiskUser } from "../provider/riskUser";

/**
 * Experiments for the client findings, not used by the package: what validation and mapping would
 * cost written as plain loops. The checks are the schema's own (zod's patterns for `user_id` and
 * `last_event`, the same enum and integer rules), so a fast path built this way could fall back to
 * zod only when a user fails them, and keep zod's error messages.
 */

function patternOf(schema: unknown): RegExp {
    const pattern = (schema as { _zod?: { pattern?: unknown } })._zod?.pattern;
    if (!(pattern instanceof RegExp)) throw new Error("the zod schema exposes no pattern");
    return pattern;
}

const guidPattern = patternOf(riskUserSchema.shape.user_id);
const dateTimePattern = patternOf(riskUserSchema.shape.last_event);
const levels = new Set<string>(riskLevels);

/** The users of a parsed page, stripped to the schema's fields, or undefined as soon as one fails a check. */
export function checkUsersFast(page: unknown): WireRiskUser[] | undefined {
    const users = (page as { result?: { users?: unknown } } | null)?.result?.users;
    if (!Array.isArray(users)) return undefined;
    const checked: WireRiskUser[] = new Array<WireRiskUser>(users.length);
    for (let i = 0; i < users.length; i++) {
        const user: unknown = users[i];
        if (user === null || typeof user !== "object") return undefined;
        const { email, event_count, last_event, max_risk_level, name, user_id } = user as Record<string, unknown>;
        if (
            typeof email !== "string" ||
            typeof name !== "string" ||
            typeof event_count !== "number" ||
            !Number.isSafeInteger(event_count) ||
            event_count < 0 ||
            typeof last_event !== "string" ||
            !dateTimePattern.test(last_event) ||
            typeof max_risk_level !== "string" ||
            !levels.has(max_risk_level) ||
            typeof user_id !== "string" ||
            !guidPattern.test(user_id)
        ) {
            return undefined;
        }
        checked[i] = { email, event_count, last_event, max_risk_level: max_risk_level as RiskLevel, name, user_id };
    }
    return checked;
}

/** `toRiskUser` as one object literal instead of a loop over the field-name table. */
export function toRiskUserLiteral(wire: WireRiskUser): RiskUser {
    return { userId: wire.user_id, email: wire.email, name: wire.name, eventCount: wire.event_count, lastEvent: wire.last_event, maxRiskLevel: wire.max_risk_level };
}
