import { RiskAccessLimitError } from "./errors";
import { type EmailBucket, bucketEmails } from "./emailBuckets";

export interface AccessRuleLimits {
    /** Up to this many users become one `email` rule each; more go into lists. */
    readonly maxEmailRules: number;
    /** Entries per Zero Trust list: 1,000 by default, 5,000 on Enterprise accounts. */
    readonly listEntryLimit: number;
    /** Lists this component may create (the account allows 100 by default, shared with other lists). */
    readonly maxLists: number;
}

/** Either one rule per email, or the emails in lists referenced by `emailList` rules. */
export type AccessRulePlan =
    { readonly kind: "emails"; readonly emails: readonly string[] } | { readonly kind: "lists"; readonly buckets: readonly EmailBucket[] };

/** Lower-cased, unique and sorted, so that the same users always give the same rules. */
export function normalizeEmails(emails: readonly string[]): string[] {
    return [...new Set(emails.map((email) => email.toLowerCase()))].sort();
}

/** Decides how to turn `emails` into rules within the limits, or fails with the numbers and the fixes. */
export function planAccessRules(emails: readonly string[], limits: AccessRuleLimits, levels: readonly string[]): AccessRulePlan {
    const unique = normalizeEmails(emails);
    if (unique.length <= limits.maxEmailRules) return { kind: "emails", emails: unique };
    const buckets = bucketEmails(unique, limits.listEntryLimit);
    if (buckets.length <= limits.maxLists) return { kind: "lists", buckets };
    const atEnterpriseSize = limits.listEntryLimit < 5000 ? bucketEmails(unique, 5000).length : undefined;
    const fixes = [
        atEnterpriseSize === undefined ? undefined : `on an Enterprise account, set listEntryLimit: 5000 (${atEnterpriseSize} lists)`,
        levels.length > 1 ? `cover fewer levels than ${levels.join(" and ")}` : undefined,
        `use Cloudflare's live selector { userRiskScore: { userRiskScores: [${levels.map((l) => `"${l}"`).join(", ")}] } }, which needs no list`,
        "or raise maxLists if the account's limit is higher",
    ].filter((fix): fix is string => fix !== undefined);
    throw new RiskAccessLimitError(
        unique.length,
        buckets.length,
        limits.maxLists,
        `${unique.length} risky users need ${buckets.length} Zero Trust lists of ${limits.listEntryLimit} entries, more than the ${limits.maxLists} allowed (maxLists). ` +
            `Nothing was created. To fit: ${fixes.join("; ")}.`,
    );
}
