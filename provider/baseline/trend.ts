import type { RiskLevel } from "../model/riskLevel";
import type { RiskUser } from "../model/riskUser";
import { riskLevelRank } from "../model/riskUser";
import { compareStrings } from "../model/compareStrings";

/** What a trend remembers of a user between deployments: who, and at which level. */
export interface RiskLevelEntry {
    readonly userId: string;
    readonly email: string;
    readonly level: RiskLevel;
}

/** One user's move between two snapshots; `from` is null for a user who appeared, `to` for one who left. */
export interface RiskLevelChange {
    readonly userId: string;
    readonly email: string;
    readonly from: RiskLevel | null;
    readonly to: RiskLevel | null;
}

export interface RiskTrendChanges {
    /** Users whose level rose (low → medium, low → high, medium → high). */
    readonly escalated: RiskLevelChange[];
    /** Users whose level fell. */
    readonly deescalated: RiskLevelChange[];
    /** Users in the current snapshot only. */
    readonly appeared: RiskLevelChange[];
    /** Users in the previous snapshot only. */
    readonly left: RiskLevelChange[];
}

export interface RiskTrendCounts {
    readonly escalated: number;
    readonly deescalated: number;
    readonly appeared: number;
    readonly left: number;
}

export function riskLevelEntriesOf(users: readonly RiskUser[]): RiskLevelEntry[] {
    return users.map((u) => ({ userId: u.userId, email: u.email, level: u.maxRiskLevel })).sort(byUserId);
}

function byUserId(a: { userId: string }, b: { userId: string }): number {
    return compareStrings(a.userId, b.userId);
}

/** Users are matched by id, since an email can change; every list is sorted by user id. */
export function compareRiskLevels(previous: readonly RiskLevelEntry[], current: readonly RiskLevelEntry[]): RiskTrendChanges {
    const before = new Map(previous.map((e) => [e.userId, e]));
    const now = new Map(current.map((e) => [e.userId, e]));
    const escalated: RiskLevelChange[] = [];
    const deescalated: RiskLevelChange[] = [];
    const appeared: RiskLevelChange[] = [];
    const left: RiskLevelChange[] = [];
    for (const entry of now.values()) {
        const old = before.get(entry.userId);
        if (old === undefined) {
            appeared.push({ userId: entry.userId, email: entry.email, from: null, to: entry.level });
            continue;
        }
        const rise = riskLevelRank(entry.level) - riskLevelRank(old.level);
        if (rise !== 0)
            (rise > 0 ? escalated : deescalated).push({ userId: entry.userId, email: entry.email, from: old.level, to: entry.level });
    }
    for (const old of before.values()) {
        if (!now.has(old.userId)) left.push({ userId: old.userId, email: old.email, from: old.level, to: null });
    }
    return {
        escalated: escalated.sort(byUserId),
        deescalated: deescalated.sort(byUserId),
        appeared: appeared.sort(byUserId),
        left: left.sort(byUserId),
    };
}

export function countRiskTrend(changes: RiskTrendChanges): RiskTrendCounts {
    return {
        escalated: changes.escalated.length,
        deescalated: changes.deescalated.length,
        appeared: changes.appeared.length,
        left: changes.left.length,
    };
}
