import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { failArgument, validateInteger } from "../../provider/arguments/checks";
import { describeValue } from "../../provider/arguments/describeValue";
import { type RiskLevel, riskLevels } from "../../provider/model/riskLevel";
import type { RiskUser } from "../../provider/model/riskUser";
import { RiskAccessLimitError } from "./errors";
import { type AccessRuleLimits, type AccessRulePlan, planAccessRules } from "./planAccessRules";

/**
 * An Access rule that matches the risky users: one address, or a Zero Trust list of them. It fits
 * both `includes` and `excludes` of `cloudflare.ZeroTrustAccessPolicy` (and of an application's
 * inline policies).
 */
export type RiskAccessRule = { readonly email: { readonly email: string } } | { readonly emailList: { readonly id: string } };

export interface RiskAccessRulesArgs {
    /** The Cloudflare account that owns the lists. */
    accountId: pulumi.Input<string>;
    /** The users to cover: the result of `getRiskSummaryOutput` (or `getRiskSummary`) fits. */
    summary: pulumi.Input<{ readonly users: readonly RiskUser[] }>;
    /** The levels whose users the rules match; default `["high"]`. */
    levels?: readonly RiskLevel[];
    /** Up to this many users become one `email` rule each (default 100, at most 1,000); more go into lists. */
    maxEmailRules?: number;
    /** Entries per list: 1,000 by default; 5,000 only on Enterprise accounts. */
    listEntryLimit?: number;
    /** Lists this component may create; default 100, the account's limit (which other lists share). */
    maxLists?: number;
    /** Start of each list's name in Cloudflare; default the component's name. */
    listName?: string;
}

export const defaultAccessRuleLimits: AccessRuleLimits = { maxEmailRules: 100, listEntryLimit: 1000, maxLists: 100 };

function validateLevels(value: unknown): RiskLevel[] {
    if (value === undefined) return ["high"];
    if (!Array.isArray(value) || value.length === 0 || !value.every((l) => (riskLevels as readonly unknown[]).includes(l))) {
        failArgument(
            "levels",
            `expected a non-empty array of "low", "medium" or "high", got ${describeValue(value)}`,
            'Pass e.g. ["high"] or ["high", "medium"].',
        );
    }
    return riskLevels.filter((level) => (value as unknown[]).includes(level)).reverse();
}

function validateListName(value: unknown, fallback: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || value.trim() === "" || value.length > 100) {
        failArgument(
            "listName",
            `expected a non-empty name of at most 100 characters, got ${describeValue(value)}`,
            "Pass a short name, or leave it out.",
        );
    }
    return value;
}

/**
 * Access rules for the account's risky users that stay within Cloudflare's limits at any account
 * size. Up to `maxEmailRules` users get one `email` rule each; more go into Zero Trust lists of type
 * `EMAIL` that this component owns, each within `listEntryLimit` entries, referenced by `emailList`
 * rules. A user's list follows from the SHA-256 of their email, so adding or removing one user
 * changes one list, and the same users change nothing. Emails stay secret, in the lists' items and in
 * `rules`. Too many users for `maxLists` fails the preview with the numbers and the fixes; nobody at
 * risk gives no rule and no list.
 */
export class RiskAccessRules extends pulumi.ComponentResource {
    /** Ready for `includes` or `excludes`; secret, since email rules hold addresses. */
    readonly rules: pulumi.Output<RiskAccessRule[]>;
    /** How many users the rules cover (not personal data, so not secret). */
    readonly userCount: pulumi.Output<number>;
    /** How many lists the component owns (0 while the users fit in email rules). */
    readonly listCount: pulumi.Output<number>;

    constructor(name: string, args: RiskAccessRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudflare-risk:index:RiskAccessRules", name, {}, opts);
        if (args === null || typeof args !== "object" || args.summary === undefined || args.accountId === undefined) {
            failArgument("args", "accountId and summary are required", "Pass { accountId, summary: getRiskSummaryOutput({ accountId }) }.");
        }
        const levels = validateLevels(args.levels);
        const limits: AccessRuleLimits = {
            maxEmailRules: validateInteger(args.maxEmailRules, "maxEmailRules", 0, 1000) ?? defaultAccessRuleLimits.maxEmailRules,
            listEntryLimit: validateInteger(args.listEntryLimit, "listEntryLimit", 1, 5000) ?? defaultAccessRuleLimits.listEntryLimit,
            maxLists: validateInteger(args.maxLists, "maxLists", 1, 1000) ?? defaultAccessRuleLimits.maxLists,
        };
        const listName = validateListName(args.listName, name);

        // A plan that does not fit is kept as the error: only `rules` fails with it, once, which fails the
        // preview through the policy that uses the rules (or the stack), before any list is registered.
        const plan = pulumi.output(args.summary).apply((summary): AccessRulePlan | RiskAccessLimitError => {
            const emails = summary.users.filter((u) => levels.includes(u.maxRiskLevel)).map((u) => u.email);
            try {
                return planAccessRules(emails, limits, levels);
            } catch (error) {
                if (error instanceof RiskAccessLimitError) return error;
                throw error;
            }
        });
        const rules = plan.apply((p): pulumi.Output<RiskAccessRule[]> | RiskAccessRule[] => {
            if (p instanceof RiskAccessLimitError) throw p;
            if (p.kind === "emails") return p.emails.map((email) => ({ email: { email } }));
            const lists = p.buckets.map(
                (bucket) =>
                    new cloudflare.ZeroTrustList(
                        `${name}-${bucket.prefix === "" ? "all" : bucket.prefix}`,
                        {
                            accountId: args.accountId,
                            name: `${listName} ${bucket.prefix === "" ? "(all)" : `(${bucket.prefix})`}`,
                            description: `Users at ${levels.join(" or ")} risk whose email hash starts with bits "${bucket.prefix}"; managed by Pulumi.`,
                            type: "EMAIL",
                            items: pulumi.secret(bucket.emails.map((value) => ({ value }))),
                        },
                        { parent: this },
                    ),
            );
            return pulumi.all(lists.map((list) => list.id)).apply((ids) => ids.map((id) => ({ emailList: { id } })));
        });
        // Secret even when the summary is not: email rules hold addresses.
        this.rules = pulumi.secret(rules);
        const counts = plan.apply((p) =>
            p instanceof RiskAccessLimitError
                ? { users: p.emails, lists: 0 }
                : p.kind === "emails"
                  ? { users: p.emails.length, lists: 0 }
                  : { users: p.buckets.reduce((n, b) => n + b.emails.length, 0), lists: p.buckets.length },
        );
        this.userCount = pulumi.unsecret(counts.apply((c) => c.users));
        this.listCount = pulumi.unsecret(counts.apply((c) => c.lists));
        this.registerOutputs({ userCount: this.userCount, listCount: this.listCount });
    }
}
