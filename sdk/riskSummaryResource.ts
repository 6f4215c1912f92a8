import * as pulumi from "@pulumi/pulumi";
import { type RiskSummaryCounts, type RiskUserViews, deriveRiskUserViews } from "../provider/riskSummary";
import type { RiskSummaryAudit } from "../provider/riskSummaryAudit";
import type { RiskSummaryFilters } from "../provider/riskSummaryFilters";
import type { RiskLevel } from "../provider/riskLevel";
import type { RiskUser } from "../provider/riskUser";
import { decodeStoredRiskUsers } from "../provider/storedRiskUsers";
import { riskSummaryProviderShim } from "./providerShims";

/** Arguments of the `RiskSummaryResource` resource; each may be an `Input`. */
export interface RiskSummaryResourceArgs {
    /** Cloudflare account id (32 hexadecimal characters). */
    accountId: pulumi.Input<string>;
    /** API token; else `cloudflare:apiToken` config, else `CLOUDFLARE_API_TOKEN`. Sent to the provider as a secret. */
    apiToken?: pulumi.Input<string>;
    /** Global API key, with `email`; else `cloudflare:apiKey` / `CLOUDFLARE_API_KEY`. */
    apiKey?: pulumi.Input<string>;
    /** Account email for the Global API key; else `cloudflare:email` / `CLOUDFLARE_EMAIL`. */
    email?: pulumi.Input<string>;
    /** API base URL; else `cloudflare:baseUrl`, `CLOUDFLARE_BASE_URL`, `https://api.cloudflare.com/client/v4`. */
    baseUrl?: pulumi.Input<string>;
    /** Keep users whose highest level is at least this one. */
    minRiskLevel?: pulumi.Input<RiskLevel>;
    /** Keep users whose last risk event is at or after this ISO 8601 date-time. */
    lastEventSince?: pulumi.Input<string>;
    /** Keep users whose email domain is one of these. */
    emailDomains?: pulumi.Input<pulumi.Input<string>[]>;
    /** Overall deadline of the read in milliseconds (default 60000). */
    timeoutMs?: pulumi.Input<number>;
    /** Retries of 429, 5xx and connection errors per request (default 3). */
    maxRetries?: pulumi.Input<number>;
    /** Pages requested at once (default 8). */
    concurrency?: pulumi.Input<number>;
    /** `per_page` to ask for; by default the server's page size. */
    perPage?: pulumi.Input<number>;
    /** Largest response body accepted, per request, in bytes (default 64 MiB; 1 KiB to 1 GiB). */
    maxResponseBytes?: pulumi.Input<number>;
    /**
     * Emails and names are personal data, so the user list is a secret in the state and in outputs.
     * Set to `false` to store and show them in plain text.
     */
    secretPersonalData?: boolean;
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
            "cloudflare-risk",
            "RiskSummary",
        );
        // The provider sends the users as one compressed string (provider/storedRiskUsers.ts).
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
