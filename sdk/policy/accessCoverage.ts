import { listEmails } from "../../provider/summary/maskEmail";

/** The Access resources the rule checks, as the engine names them. */
export const accessPolicyType = "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy";
export const accessApplicationType = "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication";
export const zeroTrustListType = "cloudflare:index/zeroTrustList:ZeroTrustList";

/** Emails of a Zero Trust list by its id, or `undefined` when the list is not known to the check. */
export type ListLookup = (id: string | undefined) => readonly string[] | undefined;

/** How one `allow` policy (standalone, or inline in an application) treats the high-risk users. */
export interface AccessCoverage {
    /** A `userRiskScore` rule keeps high-risk users out, whoever they are now. */
    readonly liveRiskRule: boolean;
    /** High-risk users that no exclude covers, lower-cased. */
    readonly admitted: readonly string[];
    /** Email-list rules whose entries could not be seen (list outside the stack, or id not yet known). */
    readonly unresolvedLists: number;
}

type Rule = Record<string, unknown>;

function rules(value: unknown): Rule[] {
    return Array.isArray(value) ? value.filter((r): r is Rule => r !== null && typeof r === "object") : [];
}

function riskScores(rule: Rule): string[] | undefined {
    const score = rule.userRiskScore as { userRiskScores?: unknown } | undefined;
    if (score === null || typeof score !== "object" || !Array.isArray(score.userRiskScores)) return undefined;
    return score.userRiskScores.filter((s): s is string => typeof s === "string").map((s) => s.toLowerCase());
}

/**
 * Checks one Access policy's inputs (the shape `@pulumi/cloudflare` 6.x sends) against the account's
 * high-risk emails; `undefined` when the policy does not allow anyone (`deny`, `bypass`, …). Users are
 * kept out by a `userRiskScore` exclude covering `high`, by a `userRiskScore` require without
 * `high`, or by `email` / `emailList` excludes naming each of them.
 */
export function checkAccessPolicy(policy: unknown, highRiskEmails: readonly string[], lists: ListLookup): AccessCoverage | undefined {
    if (policy === null || typeof policy !== "object") return undefined;
    const p = policy as Rule;
    if (p.decision !== "allow") return undefined;
    const excludes = rules(p.excludes);
    const liveRiskRule =
        excludes.some((r) => riskScores(r)?.includes("high")) ||
        rules(p.requires).some((r) => {
            const scores = riskScores(r);
            return scores !== undefined && scores.length > 0 && !scores.includes("high");
        });
    if (liveRiskRule) return { liveRiskRule, admitted: [], unresolvedLists: 0 };
    const excluded = new Set<string>();
    let unresolvedLists = 0;
    for (const rule of excludes) {
        const email = (rule.email as { email?: unknown } | undefined)?.email;
        if (typeof email === "string") excluded.add(email.toLowerCase());
        if (rule.emailList !== null && typeof rule.emailList === "object") {
            const id = (rule.emailList as { id?: unknown }).id;
            const entries = lists(typeof id === "string" ? id : undefined);
            if (entries === undefined) unresolvedLists++;
            else for (const e of entries) excluded.add(e.toLowerCase());
        }
    }
    const admitted = [...new Set(highRiskEmails.map((e) => e.toLowerCase()))].filter((e) => !excluded.has(e)).sort();
    return { liveRiskRule, admitted, unresolvedLists };
}

export interface AccessFinding {
    /** `app-name` for a policy, `app-name policies[1]` for an application's inline policy. */
    readonly label: string;
    readonly coverage: AccessCoverage;
}

/** Every `allow` policy of one resource: the policy itself, or each inline policy of an application. */
export function checkAccessResource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    highRiskEmails: readonly string[],
    lists: ListLookup,
): AccessFinding[] {
    const policies =
        type === accessPolicyType
            ? [{ label: name, policy: props }]
            : type === accessApplicationType
              ? rules(props.policies).map((policy, i) => ({ label: `${name} policies[${i}]`, policy }))
              : [];
    const findings: AccessFinding[] = [];
    for (const { label, policy } of policies) {
        const coverage = checkAccessPolicy(policy, highRiskEmails, lists);
        if (coverage !== undefined && coverage.admitted.length > 0) findings.push({ label, coverage });
    }
    return findings;
}

/** One line for a violation: the resource, how many risky users it lets in (masked unless `reveal`), and the fix. */
export function accessViolationMessage(finding: AccessFinding, totalHigh: number, reveal: boolean): string {
    const { admitted, unresolvedLists } = finding.coverage;
    const unresolved =
        unresolvedLists > 0
            ? ` (${unresolvedLists} email-list rule${unresolvedLists === 1 ? "" : "s"} could not be read and were counted as covering nobody)`
            : "";
    return (
        `Access policy "${finding.label}" lets in ${admitted.length} of the account's ${totalHigh} high-risk users: ` +
        `${listEmails(admitted, reveal)}${unresolved}. ` +
        'Fix: add { userRiskScore: { userRiskScores: ["high"] } } to its excludes, or exclude the rules of ' +
        "RiskAccessRules (pulumi-cloudflare-risk/access) built from getRiskSummaryOutput."
    );
}
