import { z } from "zod";
import { riskLevelSchema, type WireRiskUser } from "../../provider/client/schema";
import type { RiskLevel } from "../../provider/model/riskLevel";
import { eventCountRanges, riskDatasetReferenceDate, withRiskLevel } from "./riskDataset";
import { ScriptedQueue } from "./scriptedQueue";

/**
 * Scripted drift: changes to an account's user list that land between two requests of one read, so
 * that a test can reproduce an account that changes while a client pages through it. Each request
 * the account's summary answers normally (a 200 page, no scripted failure but `pass`) uses one use of
 * the head step, and the step is applied after that request's body was rendered: the request sees
 * the old list, the next one the new list. The schema doubles as validation of `POST /__control/drift`.
 *
 * Indexes are positions in the account's current list (0 = the first user served), clamped to it:
 * an index past the end means the last position. Every step takes `times` (default 1): how many
 * consecutive requests of the account it applies to.
 */

const times = z.number().int().min(1).optional();
const index = z.number().int().min(0).optional();

export const scriptedDriftSchema = z.discriminatedUnion("op", [
    /**
     * A new user, never served before (unique `user_id` and email, the same for the same step of the
     * same run), inserted at `at` (default 0, the front: every later user shifts one place later;
     * past the end: appended). `level` default "low". The only step that changes an empty account.
     */
    z.object({ op: z.literal("insert"), at: index, level: riskLevelSchema.optional(), times }),
    /** Removes the user at `at` (default 0): every later user shifts one place earlier. */
    z.object({ op: z.literal("remove"), at: index, times }),
    /**
     * Moves the user at `from` (default the last) to `to` (default 0), setting its level when `level`
     * is given (as `setUserLevel` does): a user whose risk rose moving to an earlier page.
     */
    z.object({ op: z.literal("move"), from: index, to: index, level: riskLevelSchema.optional(), times }),
    /** No change: a placeholder, so that the steps queued after it reach later requests. */
    z.object({ op: z.literal("none"), times }),
]);
export type ScriptedDrift = z.infer<typeof scriptedDriftSchema>;
export const scriptedDriftListSchema = z.array(scriptedDriftSchema);

/** FIFO of drift steps for one account; each step is used by `times` requests answered normally. */
export class ScriptedDriftQueue extends ScriptedQueue<ScriptedDrift> {
    constructor() {
        super(scriptedDriftListSchema);
    }
}

/**
 * The `n`th user a drift inserts (n ≥ 1), in `domain`: deterministic, and unlike any generated user
 * (the dataset's ids are random version 4 UUIDs, these count up from a fixed prefix).
 */
export function driftUser(n: number, domain: string, level: RiskLevel = "low"): WireRiskUser {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    return {
        email: `new.user${n}@${domain}`,
        event_count: eventCountRanges[level].min,
        last_event: riskDatasetReferenceDate.toISOString(),
        max_risk_level: level,
        name: `New User ${n}`,
        user_id: `d71f0000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`,
    };
}

const clamp = (i: number, last: number): number => Math.min(i, last);

/**
 * Applies one step to `users` in place; `newUser` makes the user an insert adds. Returns whether
 * the list changed (a "none" step, a remove or move on an empty list, and a move of a user onto its
 * own place without a new level change nothing).
 */
export function applyDrift(users: WireRiskUser[], step: ScriptedDrift, newUser: (level: RiskLevel) => WireRiskUser): boolean {
    switch (step.op) {
        case "none":
            return false;
        case "insert":
            users.splice(clamp(step.at ?? 0, users.length), 0, newUser(step.level ?? "low"));
            return true;
        case "remove":
            if (users.length === 0) return false;
            users.splice(clamp(step.at ?? 0, users.length - 1), 1);
            return true;
        case "move": {
            if (users.length === 0) return false;
            const from = clamp(step.from ?? users.length - 1, users.length - 1);
            const to = clamp(step.to ?? 0, users.length - 1);
            const [moved] = users.splice(from, 1) as [WireRiskUser];
            users.splice(to, 0, step.level === undefined ? moved : withRiskLevel(moved, step.level));
            return from !== to || step.level !== undefined;
        }
    }
}
