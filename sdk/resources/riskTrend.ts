import * as pulumi from "@pulumi/pulumi";
import { RiskSummaryArgumentError } from "../../provider/arguments/errors";
import type { RiskSummary } from "../../provider/summary/riskSummary";
import { describeValue } from "../../provider/arguments/describeValue";
import {
    type RiskLevelChange,
    type RiskTrendChanges,
    type RiskTrendCounts,
    countRiskTrend,
    riskLevelEntriesOf,
} from "../../provider/baseline/trend";
import type { RiskGateSettings, RiskTrendRecord } from "../../provider/baseline/record";
import { encodeStoredList } from "../../provider/storage/storedList";
import { riskTrendProviderShim } from "./providerShims";
import { type ResourceTypeName, resourceModule } from "./resourceTypes";

/** What a trend or gate reads from a summary: the result of `getRiskSummary`/`getRiskSummaryOutput` fits. */
export type RiskTrendSource = Pick<RiskSummary, "accountId" | "users" | "fetchedAt">;

export interface RiskTrendArgs {
    /** The summary to follow, e.g. `getRiskSummaryOutput({ accountId })`. */
    summary: pulumi.Input<RiskTrendSource>;
    /** `false` stores the baseline (emails and levels) and the changes in plain text; by default they are secrets. */
    secretPersonalData?: boolean;
}

function recordOf(source: RiskTrendSource): { accountId: string; record: RiskTrendRecord } {
    if (
        source === null ||
        typeof source !== "object" ||
        !Array.isArray(source.users) ||
        typeof source.accountId !== "string" ||
        typeof source.fetchedAt !== "string"
    ) {
        throw new RiskSummaryArgumentError(
            "summary",
            `expected a risk summary, got ${describeValue(source)}`,
            "Pass the result of getRiskSummaryOutput (or getRiskSummary).",
        );
    }
    // Compressed, as the summary's users are: a long list costs the engine's gRPC encoding dearly.
    return {
        accountId: source.accountId,
        record: { fetchedAt: source.fetchedAt, levels: encodeStoredList(riskLevelEntriesOf(source.users)) },
    };
}

const noChanges: RiskTrendChanges = { escalated: [], deescalated: [], appeared: [], left: [] };

/**
 * Shared by `RiskTrend` and `RiskGate`: a resource whose state is the last deployed snapshot of
 * levels, so that each deployment can say what changed since the one before.
 */
export abstract class RiskBaselineResource extends pulumi.dynamic.Resource {
    declare readonly accountId: pulumi.Output<string>;
    /** The stored snapshot and the comparison with the previous one (secret unless `secretPersonalData: false`). */
    declare readonly record: pulumi.Output<RiskTrendRecord>;
    /** When the levels compared with were read; undefined on the first deployment. */
    readonly since: pulumi.Output<string | undefined>;
    /** False on the first deployment, when there is nothing to compare with and every list is empty. */
    readonly hasBaseline: pulumi.Output<boolean>;
    /** Users whose level rose since the last deployment, with `from` and `to`. */
    readonly escalated: pulumi.Output<RiskLevelChange[]>;
    readonly deescalated: pulumi.Output<RiskLevelChange[]>;
    /** Users new to the summary (`from` is null). */
    readonly appeared: pulumi.Output<RiskLevelChange[]>;
    /** Users gone from the summary (`to` is null). */
    readonly left: pulumi.Output<RiskLevelChange[]>;
    /** How many users are in each list; not personal data, so never secret. Undefined on the first deployment. */
    readonly changeCounts: pulumi.Output<RiskTrendCounts | undefined>;

    protected constructor(
        type: Exclude<ResourceTypeName, "RiskSummary">,
        name: string,
        args: RiskTrendArgs,
        gate: RiskGateSettings | undefined,
        opts: pulumi.CustomResourceOptions | undefined,
    ) {
        if (args === null || typeof args !== "object" || args.summary === undefined) {
            throw new RiskSummaryArgumentError("summary", "is required", "Pass the result of getRiskSummaryOutput (or getRiskSummary).");
        }
        const secret = args.secretPersonalData !== false;
        // An Output is used as it is: `pulumi.output` would walk and copy every user of it first.
        const source = pulumi.Output.isInstance(args.summary) ? args.summary : pulumi.output(args.summary);
        const snapshot = (source as pulumi.Output<RiskTrendSource>).apply(recordOf);
        super(
            riskTrendProviderShim,
            name,
            {
                accountId: snapshot.accountId,
                // A secret input: the engine then also keeps secret what `check` derives from it.
                record: secret ? pulumi.secret(snapshot.record) : snapshot.record,
                gate,
            },
            { ...opts, additionalSecretOutputs: secret ? ["record"] : [] },
            resourceModule,
            type,
        );
        if (secret) {
            // As for RiskSummaryResource: secret in the program too, whatever engine or mock produced it.
            (this as { record: pulumi.Output<RiskTrendRecord> }).record = pulumi.secret(this.record);
        }
        const trend = this.record.apply((r) => r.trend ?? null);
        const list = (pick: (t: RiskTrendChanges) => RiskLevelChange[]) => trend.apply((t) => pick(t ?? noChanges));
        this.escalated = list((t) => t.escalated);
        this.deescalated = list((t) => t.deescalated);
        this.appeared = list((t) => t.appeared);
        this.left = list((t) => t.left);
        this.hasBaseline = pulumi.unsecret(trend.apply((t) => t !== null));
        this.changeCounts = pulumi.unsecret(trend.apply((t) => (t === null ? undefined : countRiskTrend(t))));
        this.since = pulumi.unsecret(this.record.apply((r) => r.previousFetchedAt ?? undefined));
    }
}

/**
 * Who escalated, de-escalated, appeared and left since the stack's last deployment, as outputs.
 * The previous snapshot is this resource's own state, so no extra API call and no Pulumi Cloud.
 */
export class RiskTrend extends RiskBaselineResource {
    constructor(name: string, args: RiskTrendArgs, opts?: pulumi.CustomResourceOptions) {
        super("RiskTrend", name, args, undefined, opts);
    }
}
