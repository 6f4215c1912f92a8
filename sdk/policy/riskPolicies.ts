import type { EnforcementLevel, PolicyResource, ReportViolation, StackValidationPolicy, StackValidationArgs } from "@pulumi/policy";
import { PolicyPack } from "@pulumi/policy";
import { RiskPolicyReadError } from "./errors";
import { fetchRiskSummary } from "../../provider/summary/fetchRiskSummary";
import type { RiskSummary } from "../../provider/summary/riskSummary";
import { evaluateRiskGate, validateRiskGateRules } from "../../provider/baseline/gate";
import { riskLevelEntriesOf } from "../../provider/baseline/trend";
import { dynamicResourceType, riskSummaryResourceType } from "../resources/resourceTypes";
import {
    type ListLookup,
    accessApplicationType,
    accessPolicyType,
    accessViolationMessage,
    checkAccessResource,
    zeroTrustListType,
} from "./accessCoverage";

export const policyNames = {
    accessExcludesRiskyUsers: "cloudflare-access-excludes-high-risk-users",
    protectedUsersNotAtRisk: "cloudflare-protected-users-not-at-high-risk",
    personalDataSecret: "cloudflare-risk-personal-data-secret",
} as const;

export interface RiskPoliciesOptions {
    /** Enforcement of each policy (default `mandatory`); the pack's config can still override them per stack. */
    readonly enforcementLevels?: Partial<Record<keyof typeof policyNames, EnforcementLevel>>;
    /** Reads the summary; default `fetchRiskSummary`, with credentials from CLOUDFLARE_API_TOKEN, …. */
    readonly fetchSummary?: (accountId: string) => Promise<RiskSummary>;
}

interface AccountConfig {
    accountId?: string;
    revealEmails?: boolean;
}

const accountProperties = {
    accountId: { type: "string", description: "Cloudflare account to read; default CLOUDFLARE_ACCOUNT_ID." },
    revealEmails: { type: "boolean", default: false, description: "Show offenders' emails instead of masking them." },
} as const;

function accountIdOf(config: AccountConfig): string | undefined {
    return config.accountId || process.env.CLOUDFLARE_ACCOUNT_ID || undefined;
}

/**
 * The CrossGuard policies about Cloudflare user risk. The summary is read once per account per run
 * (a policy pack process serves one preview or update), however many policies or resources need it.
 */
export function riskPolicies(options: RiskPoliciesOptions = {}): StackValidationPolicy[] {
    const fetchSummary = options.fetchSummary ?? ((accountId: string) => fetchRiskSummary({ accountId }));
    const reads = new Map<string, Promise<RiskSummary>>();
    const summaryOf = (accountId: string) => {
        let read = reads.get(accountId);
        if (read === undefined) {
            read = fetchSummary(accountId).catch((error: unknown) => {
                const why = error instanceof Error ? error.message : String(error);
                throw new RiskPolicyReadError(`Could not read the risk summary of account ${accountId}: ${why}`, { cause: error });
            });
            reads.set(accountId, read);
        }
        return read;
    };
    const level = (key: keyof typeof policyNames): EnforcementLevel => options.enforcementLevels?.[key] ?? "mandatory";
    const failClosed = async (report: ReportViolation, work: () => Promise<void>) => {
        try {
            await work();
        } catch (error) {
            if (error instanceof RiskPolicyReadError) report(error.message);
            else throw error;
        }
    };

    const accessPolicy: StackValidationPolicy = {
        name: policyNames.accessExcludesRiskyUsers,
        description: "Every allow policy of a Zero Trust Access policy or application keeps out the account's current high-risk users.",
        enforcementLevel: level("accessExcludesRiskyUsers"),
        configSchema: { properties: { ...accountProperties } },
        validateStack: (args: StackValidationArgs, report: ReportViolation) =>
            failClosed(report, async () => {
                const config = args.getConfig<AccountConfig>();
                const access = args.resources.filter((r) => r.type === accessPolicyType || r.type === accessApplicationType);
                if (access.length === 0) return;
                const listsById = new Map<string, string[]>();
                for (const r of args.resources)
                    if (r.type === zeroTrustListType && typeof r.props.id === "string") listsById.set(r.props.id, listItems(r));
                for (const resource of access) {
                    const accountId = (typeof resource.props.accountId === "string" && resource.props.accountId) || accountIdOf(config);
                    if (accountId === undefined) {
                        report(`Access policy "${resource.name}" has no known account: set the policy's accountId config.`, resource.urn);
                        continue;
                    }
                    const summary = await summaryOf(accountId);
                    // While an id is unknown (preview of a new list), the lists the excludes depend on stand in.
                    const dependedLists = (resource.propertyDependencies?.excludes ?? resource.propertyDependencies?.policies ?? [])
                        .filter((d) => d.type === zeroTrustListType)
                        .flatMap(listItems);
                    const lists: ListLookup = (id) =>
                        id === undefined ? (dependedLists.length > 0 ? dependedLists : undefined) : listsById.get(id);
                    for (const finding of checkAccessResource(
                        resource.type,
                        resource.name,
                        resource.props,
                        summary.highRiskEmails,
                        lists,
                    )) {
                        report(accessViolationMessage(finding, summary.highRiskEmails.length, config.revealEmails === true), resource.urn);
                    }
                }
            }),
    };

    const protectedUsers: StackValidationPolicy = {
        name: policyNames.protectedUsersNotAtRisk,
        description: "No deployment while a protected user (by email or domain) is at high risk in Cloudflare.",
        enforcementLevel: level("protectedUsersNotAtRisk"),
        configSchema: {
            properties: {
                ...accountProperties,
                protectedEmails: { type: "array", items: { type: "string" }, description: "Users who must not be at high risk." },
                protectedDomains: {
                    type: "array",
                    items: { type: "string" },
                    description: "Domains none of whose users may be at high risk.",
                },
                maxHighRiskUsers: { type: "integer", minimum: 0, description: "Also fail when more users than this are at high risk." },
            },
        },
        validateStack: (args: StackValidationArgs, report: ReportViolation) =>
            failClosed(report, async () => {
                const config = args.getConfig<
                    AccountConfig & { protectedEmails?: string[]; protectedDomains?: string[]; maxHighRiskUsers?: number }
                >();
                const rules = validateRiskGateRules(
                    {
                        protectedEmails: config.protectedEmails,
                        protectedDomains: config.protectedDomains,
                        maxHighRiskUsers: config.maxHighRiskUsers,
                    },
                    "policy config",
                );
                if (Object.keys(rules).length === 0) return;
                const accountId = accountIdOf(config);
                if (accountId === undefined) {
                    report("No Cloudflare account to check: set the policy's accountId config (or CLOUDFLARE_ACCOUNT_ID).");
                    return;
                }
                const summary = await summaryOf(accountId);
                for (const v of evaluateRiskGate(rules, riskLevelEntriesOf(summary.users), null, config.revealEmails === true)) {
                    report(`Account ${accountId}: ${v.message}`);
                }
            }),
    };

    const personalDataSecret: StackValidationPolicy = {
        name: policyNames.personalDataSecret,
        description: "RiskSummary reads and RiskTrend / RiskGate baselines keep users' emails and names secret in the state.",
        enforcementLevel: level("personalDataSecret"),
        configSchema: {
            properties: {
                allowPlainPersonalData: {
                    type: "boolean",
                    default: false,
                    description: "Allow resources that store emails and names in plain text (secretPersonalData: false).",
                },
            },
        },
        // Reads no account: only what the stack's own resources recorded.
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            if (args.getConfig<{ allowPlainPersonalData?: boolean }>().allowPlainPersonalData === true) return;
            for (const resource of args.resources) {
                const message = personalDataViolation(resource);
                if (message !== undefined) report(message, resource.urn);
            }
        },
    };

    return [accessPolicy, protectedUsers, personalDataSecret];
}

const baselineTypes: readonly string[] = [dynamicResourceType("RiskTrend"), dynamicResourceType("RiskGate")];
const plainFix =
    "Remove `secretPersonalData: false`, or set this policy's allowPlainPersonalData config to true for stacks whose state may hold them.";

/**
 * Stack policies see every secret unwrapped, so what tells plain from secret is the resource's own
 * record: the audit of a RiskSummary read, the additional secret outputs of a RiskTrend or RiskGate.
 */
function personalDataViolation(resource: PolicyResource): string | undefined {
    const account = typeof resource.props.accountId === "string" ? ` (account ${resource.props.accountId})` : "";
    if (baselineTypes.includes(resource.type)) {
        if (resource.opts.additionalSecretOutputs.includes("record")) return undefined;
        const kind = resource.type.slice(resource.type.lastIndexOf(":") + 1);
        return `${kind} "${resource.name}"${account} stores users' emails and levels in plain text in the state (secretPersonalData: false). ${plainFix}`;
    }
    if (resource.type !== riskSummaryResourceType) return undefined;
    const audit = resource.props.audit as { personalData?: unknown; packageVersion?: unknown } | undefined;
    if (audit?.personalData === "secret") return undefined;
    if (audit?.personalData === "plain") {
        return `RiskSummary "${resource.name}"${account} stores users' emails and names in plain text in the state (secretPersonalData: false). ${plainFix}`;
    }
    const reader =
        typeof audit?.packageVersion === "string" ? `pulumi-cloudflare-risk ${audit.packageVersion}` : "an earlier pulumi-cloudflare-risk";
    return (
        `RiskSummary "${resource.name}"${account} does not record whether its users are secret: it was read by ${reader}. ` +
        "Run `pulumi up` with a later version, or set this policy's allowPlainPersonalData config to true."
    );
}

function listItems(list: PolicyResource): string[] {
    const items = list.props.items;
    if (!Array.isArray(items)) return [];
    return items.map((i: { value?: unknown }) => i?.value).filter((v): v is string => typeof v === "string");
}

/** A ready policy pack: `new RiskPolicyPack("cloudflare-risk")` is all a pack's index.ts needs. */
export class RiskPolicyPack extends PolicyPack {
    constructor(name = "cloudflare-risk", options: RiskPoliciesOptions = {}) {
        super(name, { policies: riskPolicies(options) });
    }
}
