import type { RiskSummaryArgName } from "../arguments/riskSummaryArgs";
import { defaultConcurrency, defaultMaxResponseBytes, defaultMaxRetries, defaultPerPage, defaultTimeoutMs } from "../arguments/defaults";
import { packageVersion } from "../summary/packageVersion";
import { riskLevels } from "../model/riskLevel";
import { functionTokens } from "./riskSummaryFunctions";
import { resourceTokens } from "./riskBaselineResources";

/**
 * The plugin's Pulumi package schema, made from the code at each `getSchema` (so it cannot drift from
 * it): the function arguments come from one table keyed by the argument names of
 * provider/arguments/riskSummaryArgs.ts, which the compiler holds to that interface.
 */

type Property = Record<string, unknown>;

const string = (description: string, extra: Property = {}): Property => ({ type: "string", description, ...extra });
const integer = (description: string, extra: Property = {}): Property => ({ type: "integer", description, ...extra });
const boolean = (description: string): Property => ({ type: "boolean", description });
const strings = (description: string): Property => ({ type: "array", items: { type: "string" }, description });
const ref = (type: string, description: string, extra: Property = {}): Property => ({
    $ref: `#/types/cloudflare-risk:index:${type}`,
    description,
    ...extra,
});
const refs = (type: string, description: string, extra: Property = {}): Property => ({
    type: "array",
    items: { $ref: `#/types/cloudflare-risk:index:${type}` },
    description,
    ...extra,
});
const object = (description: string, properties: Record<string, Property>, required: readonly string[] = Object.keys(properties)) => ({
    type: "object",
    description,
    properties,
    required,
});

const levelList = riskLevels.map((l) => `"${l}"`).join(", ");

export const riskSummaryArgumentSchema: { readonly [K in RiskSummaryArgName]-?: Property } = {
    accountId: string("Cloudflare account id (32 hexadecimal characters)."),
    apiToken: string("API token (preferred); else `CLOUDFLARE_API_TOKEN`.", { secret: true }),
    apiKey: string("Global API key, with `email`; else `CLOUDFLARE_API_KEY`.", { secret: true }),
    email: string("Account email for the Global API key; else `CLOUDFLARE_EMAIL`."),
    baseUrl: string("API base URL; else `CLOUDFLARE_BASE_URL`, then https://api.cloudflare.com/client/v4."),
    minRiskLevel: string(`Keep users whose highest level is at least this one: ${levelList}.`),
    lastEventSince: string("Keep users whose last risk event is at or after this ISO 8601 date-time (or date)."),
    emailDomains: strings("Keep users whose email domain is one of these (exact domain, case-insensitive)."),
    timeoutMs: integer(`One deadline for the whole read, every page and retry included, in milliseconds. Default ${defaultTimeoutMs}.`),
    maxRetries: integer(`Retries of 429, 5xx and connection errors, per request. Default ${defaultMaxRetries}.`),
    concurrency: integer(`Pages requested at once. Default ${defaultConcurrency}.`),
    perPage: integer(`\`per_page\` to ask for page 1 (default ${defaultPerPage}); later pages follow the size the server reports.`),
    maxResponseBytes: integer(`Largest response body accepted, per request, in bytes. Default ${defaultMaxResponseBytes}.`),
    secretPersonalData: boolean("Emails and names are secret unless this is false."),
};

const types = {
    RiskUser: object("One user of the account's risk summary.", {
        userId: string("Cloudflare's user id (a UUID)."),
        email: string("The user's email."),
        name: string("The user's name."),
        maxRiskLevel: string(`The user's highest risk level: ${levelList}.`),
        eventCount: integer("Risk events of the user."),
        lastEvent: string("When the user's last risk event happened (RFC 3339)."),
    }),
    RiskSummaryCounts: object("Users per level.", {
        total: integer("Users returned, after filters."),
        high: integer("Users at high risk."),
        medium: integer("Users at medium risk."),
        low: integer("Users at low risk."),
        accountTotal: integer("Users the account had before filters were applied."),
    }),
    RiskSummaryFilters: object(
        "The filters that were applied, normalized.",
        {
            minRiskLevel: string("Lowest level kept."),
            lastEventSince: string("Earliest last event kept."),
            emailDomains: strings("Domains kept."),
        },
        [],
    ),
    RiskSummaryAudit: object(
        "What the read saw, without personal data: enough to prove later which data a deployment acted on.",
        {
            accountId: string("The account."),
            fetchedAt: string("When the summary was read."),
            counts: ref("RiskSummaryCounts", "Users per level."),
            filters: ref("RiskSummaryFilters", "The filters applied."),
            usersSha256: string("Hex SHA-256 of the canonical user list."),
            endpoint: string("The URL the summary was read from."),
            packageName: string("The package that read it."),
            packageVersion: string("Its version."),
            personalData: string('"secret" or "plain": how the result keeps emails and names.'),
        },
        ["accountId", "fetchedAt", "counts", "filters", "usersSha256", "endpoint", "packageName", "packageVersion"],
    ),
    RiskSummary: object(
        "A risk summary, as getRiskSummary returns it.",
        {
            accountId: string("The account."),
            users: refs("RiskUser", "Every user kept by the filters, sorted by email."),
            highRiskUsers: refs("RiskUser", "Users at high risk."),
            mediumRiskUsers: refs("RiskUser", "Users at medium risk."),
            lowRiskUsers: refs("RiskUser", "Users at low risk."),
            highRiskEmails: strings("High-risk users' emails, lower-cased, unique and sorted."),
            counts: ref("RiskSummaryCounts", "Users per level."),
            fetchedAt: string("When the summary was read (ISO 8601)."),
            filters: ref("RiskSummaryFilters", "The filters applied."),
            audit: ref("RiskSummaryAudit", "What the read saw, without personal data."),
        },
        ["accountId", "users", "fetchedAt"],
    ),
    RiskGateRules: object(
        "What a gate refuses; every rule is optional.",
        {
            maxHighRiskUsers: integer("Fail when more than this many users are at high risk."),
            maxMediumRiskUsers: integer("Fail when more than this many users are at medium risk."),
            protectedEmails: strings("Fail when any of these users (by email, case-insensitive) is at high risk."),
            protectedDomains: strings("Fail when any high-risk user's email is in one of these domains."),
            failOnEscalationToHigh: boolean("Fail when a user rose to high since the last deployment, or appeared at high."),
        },
        [],
    ),
    RiskGateViolation: object("A broken rule.", {
        rule: string("The rule's name."),
        message: string("One line naming the rule, the numbers and the offenders (masked unless revealEmails)."),
        offenders: integer("How many users broke the rule."),
    }),
    RiskTrendCounts: object("Users per change since the last deployment.", {
        escalated: integer("Users whose level rose."),
        deescalated: integer("Users whose level fell."),
        appeared: integer("Users new to the summary."),
        left: integer("Users gone from the summary."),
    }),
};

const summaryOutputs = (types.RiskSummary as { properties: Record<string, Property> }).properties;
const personal = (p: Property): Property => ({ ...p, secret: true });

const baselineOutputs = {
    accountId: string("The account."),
    hasBaseline: boolean("False on the first deployment, when there is nothing to compare with."),
    since: string("When the levels compared with were read; unset on the first deployment."),
    changeCounts: ref("RiskTrendCounts", "How many users escalated, de-escalated, appeared and left; unset on the first deployment."),
    record: { $ref: "pulumi.json#/Any", description: "The stored levels and the changes since the last deployment.", secret: true },
};
const baselineInputs = {
    summary: ref("RiskSummary", "The summary to follow: the result of getRiskSummary."),
    secretPersonalData: boolean("The stored levels and changes are secret unless this is false."),
};

/** The schema the plugin serves; its version is the package's. */
export function pluginSchema(): Record<string, unknown> {
    const inputs = { properties: riskSummaryArgumentSchema, required: ["accountId"] };
    return {
        name: "cloudflare-risk",
        displayName: "Cloudflare Zero Trust risk scores",
        version: packageVersion(),
        description: "Cloudflare Zero Trust user risk scores as Pulumi data: the account's risk summary, deployment gates and trends.",
        keywords: ["pulumi", "cloudflare", "zero-trust", "risk"],
        license: "Apache-2.0",
        repository: "https://www.npmjs.com/package/pulumi-cloudflare-risk",
        config: {},
        provider: {
            description: "Reads Cloudflare's risk scoring summary; credentials come from each function's arguments or the environment.",
        },
        types: Object.fromEntries(Object.entries(types).map(([name, type]) => [`cloudflare-risk:index:${name}`, type])),
        functions: {
            [functionTokens.getRiskSummary]: {
                description:
                    "Every user of the account's Zero Trust risk summary, per level, with counts; emails and names secret unless secretPersonalData is false.",
                inputs,
                outputs: {
                    properties: {
                        ...summaryOutputs,
                        users: personal(summaryOutputs.users!),
                        highRiskUsers: personal(summaryOutputs.highRiskUsers!),
                        mediumRiskUsers: personal(summaryOutputs.mediumRiskUsers!),
                        lowRiskUsers: personal(summaryOutputs.lowRiskUsers!),
                        highRiskEmails: personal(summaryOutputs.highRiskEmails!),
                    },
                    required: [
                        "accountId",
                        "users",
                        "highRiskUsers",
                        "mediumRiskUsers",
                        "lowRiskUsers",
                        "highRiskEmails",
                        "counts",
                        "fetchedAt",
                        "filters",
                        "audit",
                    ],
                },
            },
            [functionTokens.getRiskCounts]: {
                description: "The counts of the account's risk summary alone, never secret (the same read as getRiskSummary).",
                inputs,
                outputs: {
                    properties: {
                        accountId: summaryOutputs.accountId!,
                        counts: summaryOutputs.counts!,
                        fetchedAt: summaryOutputs.fetchedAt!,
                        filters: summaryOutputs.filters!,
                        audit: summaryOutputs.audit!,
                    },
                    required: ["accountId", "counts", "fetchedAt", "filters", "audit"],
                },
            },
        },
        resources: {
            [resourceTokens.RiskGate]: {
                description:
                    "A deployment gate on risk levels: in enforce mode a broken rule fails the preview and the update, naming the rule and the (masked) offenders.",
                inputProperties: {
                    ...baselineInputs,
                    rules: ref("RiskGateRules", "What the deployment must not go ahead with."),
                    mode: string('"enforce" (default) fails preview and update; "warn" reports and goes on.'),
                    revealEmails: boolean("Show offenders' emails in messages; by default they are masked."),
                },
                requiredInputs: ["summary", "rules"],
                properties: { ...baselineOutputs, violations: refs("RiskGateViolation", "Rules broken in warn mode.") },
                required: ["accountId", "hasBaseline", "violations"],
            },
            [resourceTokens.RiskTrend]: {
                description: "Who escalated, de-escalated, appeared and left since the stack's last deployment.",
                inputProperties: baselineInputs,
                requiredInputs: ["summary"],
                properties: baselineOutputs,
                required: ["accountId", "hasBaseline"],
            },
        },
    };
}
