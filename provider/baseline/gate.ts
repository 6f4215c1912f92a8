import { RiskSummaryArgumentError } from "../arguments/errors";
import { listEmails } from "../summary/maskEmail";
import { describeValue } from "../arguments/describeValue";
import { failArgument, validateBoolean, validateEmailDomains, validateInteger } from "../arguments/checks";
import { listFirst } from "../errors/listFirst";
import { rejectUnknownArgs } from "../arguments/unknownArgs";
import { emailDomain } from "../summary/filters";
import type { RiskLevelChange, RiskLevelEntry, RiskTrendChanges } from "./trend";
import { compareStrings } from "../model/compareStrings";

/** What a gate refuses. Every rule is optional; a gate with none passes. */
export interface RiskGateRules {
    /** Fail when more than this many users are at high risk. */
    readonly maxHighRiskUsers?: number;
    /** Fail when more than this many users are at medium risk. */
    readonly maxMediumRiskUsers?: number;
    /** Fail when any of these users (by email, case-insensitive) is at high risk: admins, on-call, finance. */
    readonly protectedEmails?: readonly string[];
    /** Fail when any high-risk user's email is in one of these domains (exact, case-insensitive). */
    readonly protectedDomains?: readonly string[];
    /**
     * Fail when a user rose to high since the last deployment, or appeared at high. Needs a previous
     * deployment to compare with: the first deployment never breaks it.
     */
    readonly failOnEscalationToHigh?: boolean;
}

export type RiskGateRuleName = keyof RiskGateRules;

// A key per rule: the compiler holds this list to the interface, a missing or extra rule fails to build.
const ruleKeys: { readonly [K in RiskGateRuleName]-?: null } = {
    maxHighRiskUsers: null,
    maxMediumRiskUsers: null,
    protectedEmails: null,
    protectedDomains: null,
    failOnEscalationToHigh: null,
};
export const riskGateRuleNames = Object.keys(ruleKeys) as readonly RiskGateRuleName[];

/** `enforce` fails preview and update; `warn` reports the same findings as warnings and lets the deployment go on. */
export type RiskGateMode = "enforce" | "warn";
export const riskGateModes: readonly RiskGateMode[] = ["enforce", "warn"];

export interface RiskGateViolation {
    readonly rule: RiskGateRuleName;
    /** One line, naming the rule, the numbers and the offenders (masked unless `revealEmails`). */
    readonly message: string;
    /** How many users broke the rule. */
    readonly offenders: number;
}

const emailPattern = /^[^\s@]+@[^\s@]+$/;

/** Checked where the program builds the gate, so that a typo fails before any request. */
export function validateRiskGateRules(value: unknown, argument = "rules"): RiskGateRules {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        failArgument(argument, `expected an object of rules, got ${describeValue(value)}`, "Pass e.g. { maxHighRiskUsers: 0 }.");
    }
    const input = value as Record<string, unknown>;
    rejectUnknownArgs(input, riskGateRuleNames, { parent: argument, noun: "a gate rule" });
    const rules: { -readonly [K in keyof RiskGateRules]: RiskGateRules[K] } = {};
    const maxHigh = validateInteger(input.maxHighRiskUsers, `${argument}.maxHighRiskUsers`, 0, Number.MAX_SAFE_INTEGER);
    const maxMedium = validateInteger(input.maxMediumRiskUsers, `${argument}.maxMediumRiskUsers`, 0, Number.MAX_SAFE_INTEGER);
    if (maxHigh !== undefined) rules.maxHighRiskUsers = maxHigh;
    if (maxMedium !== undefined) rules.maxMediumRiskUsers = maxMedium;
    if (input.protectedEmails !== undefined) {
        if (!Array.isArray(input.protectedEmails) || input.protectedEmails.length === 0) {
            failArgument(
                `${argument}.protectedEmails`,
                `expected a non-empty array of emails, got ${describeValue(input.protectedEmails)}`,
                'Pass e.g. ["admin@example.com"], or leave it out.',
            );
        }
        rules.protectedEmails = [
            ...new Set(
                input.protectedEmails.map((e: unknown, i) => {
                    if (typeof e !== "string" || e.length > 320 || !emailPattern.test(e)) {
                        failArgument(
                            `${argument}.protectedEmails[${i}]`,
                            `expected an email address, got ${describeValue(e)}`,
                            "Pass the user's email as Cloudflare Access knows it.",
                        );
                    }
                    return e.toLowerCase();
                }),
            ),
        ].sort();
    }
    if (input.protectedDomains !== undefined) {
        try {
            rules.protectedDomains = validateEmailDomains(input.protectedDomains);
        } catch (error) {
            if (!(error instanceof RiskSummaryArgumentError)) throw error;
            failArgument(error.argument.replace("emailDomains", `${argument}.protectedDomains`), error.reason, error.fix);
        }
    }
    const escalation = validateBoolean(input.failOnEscalationToHigh, `${argument}.failOnEscalationToHigh`, "Pass a boolean.");
    if (escalation !== undefined) rules.failOnEscalationToHigh = escalation;
    return rules;
}

/** Whether the gate's messages name offenders in full; masked unless true. */
export function validateRevealEmails(value: unknown): boolean {
    return validateBoolean(value, "revealEmails", "Pass a boolean.") === true;
}

export function validateRiskGateMode(value: unknown, argument = "mode"): RiskGateMode {
    if (value === undefined) return "enforce";
    if (typeof value !== "string" || !(riskGateModes as readonly string[]).includes(value)) {
        failArgument(
            argument,
            `expected "enforce" or "warn", got ${typeof value === "string" && /^\w{0,20}$/.test(value) ? `"${value}"` : describeValue(value)}`,
            'Use "warn" to report without failing.',
        );
    }
    return value as RiskGateMode;
}

function describeChange(c: RiskLevelChange, reveal: boolean): string {
    return `${listEmails([c.email], reveal)} (${c.from ?? "new"} → ${c.to})`;
}

/**
 * Checks the current levels (and the trend since the last deployment, null on the first one)
 * against the rules. Offenders are listed sorted by email, masked unless `revealEmails`.
 */
export function evaluateRiskGate(
    rules: RiskGateRules,
    levels: readonly RiskLevelEntry[],
    trend: RiskTrendChanges | null,
    revealEmails: boolean,
): RiskGateViolation[] {
    const emailsAt = (level: RiskLevelEntry["level"]) =>
        levels
            .filter((e) => e.level === level)
            .map((e) => e.email.toLowerCase())
            .sort();
    const high = emailsAt("high");
    const violations: RiskGateViolation[] = [];
    const offenders = (list: readonly string[]) => listEmails(list, revealEmails);
    if (rules.maxHighRiskUsers !== undefined && high.length > rules.maxHighRiskUsers) {
        violations.push({
            rule: "maxHighRiskUsers",
            message: `maxHighRiskUsers: ${high.length} users are at high risk, more than the ${rules.maxHighRiskUsers} allowed: ${offenders(high)}`,
            offenders: high.length,
        });
    }
    const medium = emailsAt("medium");
    if (rules.maxMediumRiskUsers !== undefined && medium.length > rules.maxMediumRiskUsers) {
        violations.push({
            rule: "maxMediumRiskUsers",
            message: `maxMediumRiskUsers: ${medium.length} users are at medium risk, more than the ${rules.maxMediumRiskUsers} allowed: ${offenders(medium)}`,
            offenders: medium.length,
        });
    }
    if (rules.protectedEmails !== undefined) {
        const protectedSet = new Set(rules.protectedEmails);
        const hit = high.filter((e) => protectedSet.has(e));
        if (hit.length > 0) {
            violations.push({
                rule: "protectedEmails",
                message: `protectedEmails: ${hit.length} protected users are at high risk: ${offenders(hit)}`,
                offenders: hit.length,
            });
        }
    }
    if (rules.protectedDomains !== undefined) {
        const domains = new Set(rules.protectedDomains);
        const hit = high.filter((e) => domains.has(emailDomain(e)));
        if (hit.length > 0) {
            violations.push({
                rule: "protectedDomains",
                message: `protectedDomains: ${hit.length} users of ${rules.protectedDomains.join(", ")} are at high risk: ${offenders(hit)}`,
                offenders: hit.length,
            });
        }
    }
    if (rules.failOnEscalationToHigh === true && trend !== null) {
        const rose = [...trend.escalated, ...trend.appeared]
            .filter((c) => c.to === "high")
            .sort((a, b) => compareStrings(a.email, b.email));
        if (rose.length > 0) {
            const shown = listFirst(
                rose.map((c) => describeChange(c, revealEmails)),
                10,
            );
            violations.push({
                rule: "failOnEscalationToHigh",
                message: `failOnEscalationToHigh: ${rose.length} users rose to high risk since the last deployment: ${shown}`,
                offenders: rose.length,
            });
        }
    }
    return violations;
}

/** The message of a failed gate: what was read, every broken rule, and the ways out. */
export function riskGateFailureMessage(
    gate: string,
    accountId: string,
    fetchedAt: string,
    violations: readonly RiskGateViolation[],
    revealEmails: boolean,
): string {
    const lines = [
        `Risk gate "${gate}" blocked this deployment: account ${accountId}, as read at ${fetchedAt}, breaks ${violations.length} rule${violations.length === 1 ? "" : "s"}:`,
        ...violations.map((v) => `  - ${v.message}`),
        "Fix: remediate these users in Cloudflare Zero Trust (Risk score), or change the gate's rules, " +
            'or set mode: "warn" to report without failing.' +
            (revealEmails ? "" : " Emails are masked; set revealEmails: true to show them."),
    ];
    return lines.join("\n");
}
