import * as pulumi from "@pulumi/pulumi";
import { type RiskSummaryCounts, type RiskUserViews, deriveRiskUserViews } from "../summary/riskSummary";
import type { RiskSummaryAudit } from "../summary/audit";
import type { RiskSummaryArguments, RiskSummaryFilters } from "../arguments/riskSummaryArguments";
import type { RiskUser } from "../model/riskUser";
import { decodeStoredRiskUsers } from "../storage/storedRiskUsers";
import { riskSummaryProviderShim } from "./providerShims";
import { type ResourceTypeName, resourceModule } from "./resourceTypes";

/** An argument as an `Input`; a list may also hold `Input`s. */
type InputOf<T> = T extends readonly (infer E)[] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<T>;

/** Arguments of the `RiskSummaryResource` resource (the same as `getRiskSummary`'s); each may be an `Input` but `secretPersonalData`. */
export type RiskSummaryResourceArgs = {
    -readonly [K in keyof Omit<RiskSummaryArguments, "secretPersonalData">]: InputOf<RiskSummaryArguments[K]>;
} & Pick<RiskSummaryArguments, "secretPersonalData">;

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
    readonly highRiskUsers: pulumi.Output<RiskUser[]>;
    readonly mediumRiskUsers: pulumi.Output<RiskUser[]>;
    readonly lowRiskUsers: pulumi.Output<RiskUser[]>;
    /** Lower-cased, unique, sorted: ready for an Access policy's email rules. */
    readonly highRiskEmails: pulumi.Output<string[]>;

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
        // The provider sends the users as one compressed string (storage/storedRiskUsers.ts).
        const stored = this.users as pulumi.Output<unknown> as pulumi.Output<string | RiskUser[] | undefined>;
        const users = stored.apply((value) => (value === undefined ? [] : decodeStoredRiskUsers(value)));
        // The engine encrypts `users` in the state (additionalSecretOutputs); this also keeps the
        // program-side Output secret whatever engine or mock produced it.
        (this as { users: pulumi.Output<RiskUser[]> }).users = secretPersonalData === false ? users : pulumi.secret(users);
        const views = this.users.apply((list): RiskUserViews => deriveRiskUserViews(list));
        this.highRiskUsers = views.highRiskUsers;
        this.mediumRiskUsers = views.mediumRiskUsers;
        this.lowRiskUsers = views.lowRiskUsers;
        this.highRiskEmails = views.highRiskEmails;
    }
}
