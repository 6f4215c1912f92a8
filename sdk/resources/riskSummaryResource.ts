import * as pulumi from "@pulumi/pulumi";
import { type RiskSummary, type RiskSummaryCounts, type RiskUserViews, deriveRiskUserViews } from "../../provider/summary/riskSummary";
import type { RiskSummaryAudit } from "../../provider/summary/audit";
import type { RiskSummaryArgs, RiskSummaryFilters } from "../../provider/arguments/riskSummaryArgs";
import type { RiskUser } from "../../provider/model/riskUser";
import { decodeStoredRiskUsers } from "../../provider/storage/storedRiskUsers";
import { riskSummaryProviderShim } from "./providerShims";
import { type ResourceTypeName, resourceModule } from "./resourceTypes";

/** An argument as an `Input`; a list may also hold `Input`s. */
type InputOf<T> = T extends readonly (infer E)[] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<T>;

/** Arguments of the `RiskSummaryResource` resource (the same as `getRiskSummary`'s); each may be an `Input` but `secretPersonalData`. */
export type RiskSummaryResourceArgs = {
    -readonly [K in keyof Omit<RiskSummaryArgs, "secretPersonalData">]: InputOf<RiskSummaryArgs[K]>;
} & Pick<RiskSummaryArgs, "secretPersonalData">;

/** The summary, plus the provider-assigned id (the account id), as `@pulumi/cloudflare` results carry. */
export interface GetRiskSummaryResult extends RiskSummary {
    readonly id: string;
    /** What the deployment saw, fit for an audit trail: no personal data (see `RiskSummaryAudit`). */
    readonly audit: RiskSummaryAudit;
}

/**
 * Every Output that holds a value walks all of it once (`@pulumi/pulumi` looks for unknowns inside),
 * and `pulumi.all` / `pulumi.output` copy what they are given as well: with a large account, each
 * Output of the users costs about as much as decoding them. So the users are decoded once, into one
 * Output of the whole result, made from the engine's outputs while the users are still one string;
 * each public list is made from it only when a program asks for it.
 */
const results = new WeakMap<RiskSummaryResource, pulumi.Output<GetRiskSummaryResult>>();

/** The user lists a resource makes from its result on first use. */
type ListName = "users" | keyof RiskUserViews;

/** The whole summary of the resource, decoded once: what `getRiskSummary` returns and every list is made from. */
export function riskSummaryResultOf(resource: RiskSummaryResource): pulumi.Output<GetRiskSummaryResult> {
    const result = results.get(resource);
    if (result === undefined) throw new Error("not a RiskSummaryResource");
    return result;
}

/**
 * The risk summary of one Cloudflare account, read (never created) through a dynamic provider on every
 * preview and update. Prefer `getRiskSummary`/`getRiskSummaryOutput`, which also de-duplicate calls.
 */
export class RiskSummaryResource extends pulumi.dynamic.Resource {
    declare readonly accountId: pulumi.Output<string>;
    /** Every user kept by the filters, sorted by email. Secret unless `secretPersonalData: false`. */
    declare readonly users: pulumi.Output<RiskUser[]>;
    declare readonly counts: pulumi.Output<RiskSummaryCounts>;
    declare readonly fetchedAt: pulumi.Output<string>;
    declare readonly filters: pulumi.Output<RiskSummaryFilters>;
    /** Account, time, counts, filters, endpoint, package version and a SHA-256 of the users: no personal data. */
    declare readonly audit: pulumi.Output<RiskSummaryAudit>;

    constructor(name: string, args: RiskSummaryResourceArgs, opts?: pulumi.CustomResourceOptions) {
        const { secretPersonalData, apiToken, apiKey, ...settings } = args;
        const props = {
            ...settings,
            // Secret inputs: whatever the caller passed, a credential is never stored in plain text.
            apiToken: apiToken === undefined ? undefined : pulumi.secret(apiToken),
            apiKey: apiKey === undefined ? undefined : pulumi.secret(apiKey),
            // Recorded in the audit, where policies and reviewers can see how the state keeps the users.
            secretPersonalData: secretPersonalData !== false,
            users: undefined,
            counts: undefined,
            fetchedAt: undefined,
            filters: undefined,
            audit: undefined,
        };
        super(
            riskSummaryProviderShim,
            name,
            props,
            {
                ...opts,
                id: args.accountId,
                additionalSecretOutputs: secretPersonalData === false ? [] : ["users"],
            },
            resourceModule,
            "RiskSummary" satisfies ResourceTypeName,
        );
        // The provider sends the users as one compressed string (provider/storage/storedRiskUsers.ts). The engine
        // encrypts it in the state (additionalSecretOutputs); marking the string secret here (cheap: one
        // string) also keeps every Output made from it secret, whatever engine or mock produced it.
        const engineUsers = this.users as pulumi.Output<unknown> as pulumi.Output<string | RiskUser[] | undefined>;
        const stored = secretPersonalData === false ? engineUsers : pulumi.secret(engineUsers);
        results.set(
            this,
            pulumi
                .all([this.id, this.accountId, stored, this.counts, this.fetchedAt, this.filters, this.audit])
                .apply(([id, accountId, value, counts, fetchedAt, filters, audit]): GetRiskSummaryResult => {
                    const users = value === undefined ? [] : decodeStoredRiskUsers(value);
                    return { id, accountId, users, ...deriveRiskUserViews(users), counts, fetchedAt, filters, audit };
                }),
        );
        // `users` is an own property that the engine's runtime set; it becomes a list made on first use, as the others.
        Object.defineProperty(this, "users", { get: () => this.list("users"), enumerable: true, configurable: true });
    }

    /** The users at high risk, sorted by email. */
    get highRiskUsers(): pulumi.Output<RiskUser[]> {
        return this.list("highRiskUsers");
    }

    get mediumRiskUsers(): pulumi.Output<RiskUser[]> {
        return this.list("mediumRiskUsers");
    }

    get lowRiskUsers(): pulumi.Output<RiskUser[]> {
        return this.list("lowRiskUsers");
    }

    /** Lower-cased, unique, sorted: ready for an Access policy's email rules. */
    get highRiskEmails(): pulumi.Output<string[]> {
        return this.list("highRiskEmails");
    }

    private readonly lists = new Map<ListName, pulumi.Output<unknown>>();

    private list<K extends ListName>(key: K): pulumi.Output<GetRiskSummaryResult[K]> {
        let list = this.lists.get(key);
        if (list === undefined) this.lists.set(key, (list = riskSummaryResultOf(this).apply((r) => r[key])));
        return list as pulumi.Output<GetRiskSummaryResult[K]>;
    }
}
