import type * as provider from "@pulumi/pulumi/provider";
import { RiskSummaryArgumentError } from "../arguments/errors";
import { describeValue } from "../arguments/describeValue";
import { validateArgs } from "../arguments/riskSummaryArgs";
import { rejectUnknownArgs } from "../arguments/unknownArgs";
import { validateRevealEmails, validateRiskGateMode, validateRiskGateRules } from "../baseline/gate";
import type { RiskGateSettings, RiskTrendRecord, RiskTrendResourceInputs } from "../baseline/record";
import { countRiskTrend, riskLevelEntriesOf } from "../baseline/trend";
import { encodeStoredList } from "../storage/storedList";
import type { RiskUser } from "../model/riskUser";
import * as baseline from "../dynamic/riskTrend";
import { containsUnknown, revealSecrets, secretValue } from "./secrets";

/**
 * `RiskGate` and `RiskTrend` as plugin resources: the same baseline and rules as the dynamic
 * provider (provider/riskTrend.ts), fed by the plugin's `getRiskSummary` result instead of the SDK.
 */
export const resourceTokens = {
    RiskGate: "cloudflare-risk:index:RiskGate",
    RiskTrend: "cloudflare-risk:index:RiskTrend",
} as const;

const argumentsOf = {
    RiskGate: ["summary", "rules", "mode", "revealEmails", "secretPersonalData"],
    RiskTrend: ["summary", "secretPersonalData"],
} as const;

/** What the state keeps: the baseline's inputs, plus whether they are secret. */
type StoredInputs = RiskTrendResourceInputs & { readonly secretPersonalData: boolean };

function typeOf(urn: string): keyof typeof resourceTokens {
    const type = urn.split("::")[2]?.split("$").pop();
    if (type === resourceTokens.RiskGate) return "RiskGate";
    if (type === resourceTokens.RiskTrend) return "RiskTrend";
    throw new RiskSummaryArgumentError(
        "type",
        `unknown resource type ${describeValue(type)}`,
        "Use cloudflare-risk:index:RiskGate or RiskTrend.",
    );
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function summaryOf(value: unknown): { accountId: string; users: readonly RiskUser[]; fetchedAt: string } {
    const summary = value as { accountId?: unknown; users?: unknown; fetchedAt?: unknown } | null;
    if (
        summary === null ||
        typeof summary !== "object" ||
        typeof summary.accountId !== "string" ||
        !Array.isArray(summary.users) ||
        typeof summary.fetchedAt !== "string"
    ) {
        throw new RiskSummaryArgumentError(
            "summary",
            `expected a risk summary, got ${describeValue(value)}`,
            "Pass the result of cloudflare-risk:index:getRiskSummary.",
        );
    }
    return summary as { accountId: string; users: readonly RiskUser[]; fetchedAt: string };
}

/** The program's arguments, checked, as the inputs the baseline keeps; throws RiskSummaryArgumentError. */
function storedInputsOf(urn: string, news: Record<string, unknown>): StoredInputs {
    const type = typeOf(urn);
    rejectUnknownArgs(news, argumentsOf[type]);
    const secretPersonalData = validateArgs(news, ["secretPersonalData"]).secretPersonalData !== false;
    const summary = summaryOf(news.summary);
    let gate: RiskGateSettings | undefined;
    if (type === "RiskGate") {
        const revealEmails = validateRevealEmails(news.revealEmails);
        gate = {
            name: nameOf(urn),
            rules: validateRiskGateRules(news.rules),
            mode: validateRiskGateMode(news.mode),
            revealEmails,
        };
    }
    const record: RiskTrendRecord = { fetchedAt: summary.fetchedAt, levels: encodeStoredList(riskLevelEntriesOf(summary.users)) };
    return { accountId: summary.accountId, record, ...(gate === undefined ? {} : { gate }), secretPersonalData };
}

/** What the engine stores: the record secret unless the program opted out, and the outputs derived from it. */
function toEngine(inputs: StoredInputs, withOutputs: boolean): Record<string, unknown> {
    const record = inputs.record;
    const stored: Record<string, unknown> = { ...inputs, record: inputs.secretPersonalData ? secretValue(record) : record };
    if (!withOutputs) return stored;
    const trend = record.trend ?? null;
    const violations = [...(record.violations ?? [])];
    return {
        ...stored,
        hasBaseline: trend !== null,
        ...(trend === null ? {} : { changeCounts: countRiskTrend(trend) }),
        ...(record.previousFetchedAt == null ? {} : { since: record.previousFetchedAt }),
        // Masked messages are safe to show; revealed ones stay as secret as the record.
        violations: inputs.gate?.revealEmails === true && inputs.secretPersonalData ? secretValue(violations) : violations,
    };
}

function fromEngine(value: unknown): StoredInputs | undefined {
    const plain = revealSecrets(value).value as Partial<StoredInputs> | undefined;
    if (plain === undefined || plain === null || typeof plain.accountId !== "string" || plain.record === undefined) return undefined;
    return {
        accountId: plain.accountId,
        record: plain.record,
        ...(plain.gate === undefined ? {} : { gate: plain.gate }),
        secretPersonalData: plain.secretPersonalData !== false,
    };
}

export async function check(urn: string, olds: unknown, news: Record<string, unknown>): Promise<provider.CheckResult> {
    // During a preview the summary may not be known yet: nothing to check until it is.
    if (containsUnknown(news)) return { inputs: news };
    let inputs: StoredInputs;
    try {
        inputs = storedInputsOf(urn, revealSecrets(news).value as Record<string, unknown>);
    } catch (error) {
        if (error instanceof RiskSummaryArgumentError)
            return { inputs: news, failures: [{ property: error.argument, reason: error.message }] };
        throw error;
    }
    const previous = fromEngine(olds);
    const checked = await baseline.check((previous ?? {}) as Record<string, unknown>, inputs as StoredInputs & Record<string, unknown>);
    const result = { ...inputs, record: checked.inputs!.record as RiskTrendRecord };
    return { inputs: toEngine(result, false), failures: checked.failures?.map((f) => ({ property: f.property, reason: f.reason })) };
}

export async function diff(_id: string, urn: string, olds: unknown, news: unknown): Promise<provider.DiffResult> {
    if (containsUnknown(news)) return {};
    typeOf(urn);
    const [before, after] = [fromEngine(olds), fromEngine(news)];
    if (before === undefined || after === undefined) return { changes: true };
    const { secretPersonalData: wasSecret, ...oldRest } = before;
    const { secretPersonalData: isSecret, ...newRest } = after;
    const changed = await baseline.diff(
        "",
        oldRest as StoredInputs & Record<string, unknown>,
        newRest as StoredInputs & Record<string, unknown>,
    );
    return { changes: changed.changes === true || wasSecret !== isSecret };
}

export function create(urn: string, inputs: unknown): Promise<provider.CreateResult> {
    typeOf(urn);
    const stored = fromEngine(inputs)!;
    return Promise.resolve({ id: stored.accountId, outs: toEngine(stored, true) });
}

export function update(_id: string, urn: string, _olds: unknown, news: unknown): Promise<provider.UpdateResult> {
    typeOf(urn);
    return Promise.resolve({ outs: toEngine(fromEngine(news)!, true) });
}

/** Nothing exists outside the state: forgetting the baseline is all a delete does. */
export function remove(): Promise<void> {
    return Promise.resolve();
}
