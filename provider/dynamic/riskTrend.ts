import type * as pulumi from "@pulumi/pulumi";
import { evaluateRiskGate, riskGateFailureMessage } from "../baseline/gate";
import { type RiskLevelEntry, compareRiskLevels } from "../baseline/trend";
import type { RiskTrendRecord, RiskTrendResourceInputs } from "../baseline/record";
import { decodeStoredList } from "../storage/storedList";

/**
 * The dynamic provider behind `RiskTrend` and `RiskGate`. The engine hands `check` the inputs this
 * resource was last deployed with; that record is the baseline, so a trend needs no extra API call
 * and no service beyond the state backend. Computing it in `check` makes it known during preview,
 * and a gate that fails there stops the update before the baseline moves.
 */

type Inputs = RiskTrendResourceInputs & Record<string, unknown>;

function isRecord(value: unknown): value is RiskTrendRecord {
    if (value === null || typeof value !== "object") return false;
    const { levels, fetchedAt } = value as RiskTrendRecord;
    return (typeof levels === "string" || Array.isArray(levels)) && typeof fetchedAt === "string";
}

function levelsOf(record: RiskTrendRecord): RiskLevelEntry[] {
    return decodeStoredList(record.levels, "levels of a RiskTrend");
}

/** The levels last deployed, or undefined when they cannot be read: the trend then starts over, as for a new account. */
function previousLevelsOf(record: RiskTrendRecord): RiskLevelEntry[] | undefined {
    try {
        return levelsOf(record);
    } catch {
        return undefined;
    }
}

export function check(olds: Partial<Inputs>, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>> {
    // During a preview the summary may not be known yet (unknown values arrive as placeholders).
    if (!isRecord(news.record)) return Promise.resolve({ inputs: news });
    const levels = levelsOf(news.record);
    const previousLevels = olds.accountId === news.accountId && isRecord(olds.record) ? previousLevelsOf(olds.record) : undefined;
    const previous = previousLevels === undefined ? undefined : (olds.record as RiskTrendRecord);
    const trend = previousLevels === undefined ? null : compareRiskLevels(previousLevels, levels);
    const gate = news.gate;
    const violations = gate === undefined ? [] : evaluateRiskGate(gate.rules, levels, trend, gate.revealEmails);
    const record: RiskTrendRecord = {
        fetchedAt: news.record.fetchedAt,
        levels: news.record.levels,
        previousFetchedAt: previous?.fetchedAt ?? null,
        trend,
        violations,
    };
    const inputs = { ...news, record };
    if (gate !== undefined && gate.mode === "enforce" && violations.length > 0) {
        const reason = riskGateFailureMessage(gate.name, news.accountId, news.record.fetchedAt, violations, gate.revealEmails);
        // No property: the engine would print the whole value next to it; the reason says it all.
        return Promise.resolve({ inputs, failures: [{ property: "", reason }] });
    }
    return Promise.resolve({ inputs });
}

// Timestamps alone do not make a change: a preview with the same levels shows no update.
function comparable(inputs: Partial<Inputs>): string {
    const { record, ...rest } = inputs;
    // Decoded: the same levels compare equal however they were compressed or stored.
    const kept = isRecord(record)
        ? { levels: previousLevelsOf(record) ?? record.levels, trend: record.trend, violations: record.violations }
        : record;
    return JSON.stringify([rest, kept]);
}

export function diff(_id: string, olds: Partial<Inputs>, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
    return Promise.resolve({ changes: comparable(olds) !== comparable(news), replaces: [], deleteBeforeReplace: false });
}

export function create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult<Inputs>> {
    return Promise.resolve({ id: inputs.accountId, outs: inputs });
}

export function update(_id: string, _olds: Inputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult<Inputs>> {
    return Promise.resolve({ outs: news });
}

/** Nothing exists outside the state: forgetting the baseline is all a delete does. */
export function remove(): Promise<void> {
    return Promise.resolve();
}
