import { validateArgs, riskSummaryArgNames, validateFilters } from "../arguments/riskSummaryArgs";
import { rejectUnknownArgs } from "../arguments/unknownArgs";
import { argumentNames, environmentSource } from "../client/credentials";
import { fetchAccountRiskUsers, riskSummaryEndpoint } from "../client/pages";
import { resolveRequestSettings } from "../client/requestSettings";
import { buildRiskSummary } from "../summary/buildRiskSummary";
import { buildRiskSummaryAudit } from "../summary/audit";
import { readAccountOnce } from "../dynamic/accountReads";
import { RiskSummaryArgumentError } from "../arguments/errors";
import { describeValue } from "../arguments/describeValue";
import { revealSecrets, secretValue } from "./secrets";

/** The plugin's functions: the same arguments, checks and read as `getRiskSummary`, one read per account per deployment. */
export const functionTokens = {
    getRiskSummary: "cloudflare-risk:index:getRiskSummary",
    getRiskCounts: "cloudflare-risk:index:getRiskCounts",
} as const;

async function readSummary(rawArgs: unknown) {
    const args = revealSecrets(rawArgs).value;
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
        throw new RiskSummaryArgumentError("arguments", `expected an object, got ${describeValue(args)}`, "Pass { accountId }.");
    }
    rejectUnknownArgs(args as Record<string, unknown>, riskSummaryArgNames);
    const { secretPersonalData } = validateArgs(args, ["secretPersonalData"]);
    const filters = validateFilters(args);
    // Credentials as the official provider takes them: arguments, then the environment.
    const given = args as Record<string, unknown>;
    const settings = resolveRequestSettings(given.accountId, given, [{ values: given, names: argumentNames }, environmentSource()]);
    const { users, fetchedAt } = await readAccountOnce(settings, fetchAccountRiskUsers);
    const summary = buildRiskSummary(settings.accountId, users, filters, fetchedAt);
    const audit = buildRiskSummaryAudit(summary, riskSummaryEndpoint(settings.baseUrl, settings.accountId), {
        personalData: secretPersonalData === false ? "plain" : "secret",
    });
    return { summary, audit, secret: secretPersonalData !== false };
}

/** `getRiskSummary`: every user and the per-level views, emails and names secret unless `secretPersonalData: false`. */
export async function getRiskSummary(args: unknown): Promise<Record<string, unknown>> {
    const { summary, audit, secret } = await readSummary(args);
    const personal = <T>(value: T) => (secret ? secretValue(value) : value);
    return {
        accountId: summary.accountId,
        users: personal(summary.users),
        highRiskUsers: personal(summary.highRiskUsers),
        mediumRiskUsers: personal(summary.mediumRiskUsers),
        lowRiskUsers: personal(summary.lowRiskUsers),
        highRiskEmails: personal(summary.highRiskEmails),
        counts: summary.counts,
        fetchedAt: summary.fetchedAt,
        filters: summary.filters,
        audit,
    };
}

/**
 * `getRiskCounts`: the counts alone, never secret. Pulumi YAML (and other languages' plain outputs)
 * make a whole invoke result secret when one of its values is, so plain counts need their own function.
 */
export async function getRiskCounts(args: unknown): Promise<Record<string, unknown>> {
    const { summary, audit } = await readSummary(args);
    return { accountId: summary.accountId, counts: summary.counts, fetchedAt: summary.fetchedAt, filters: summary.filters, audit };
}
