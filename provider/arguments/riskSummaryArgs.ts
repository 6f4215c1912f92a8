import type { RiskLevel } from "../model/riskLevel";
import {
    validateAccountId,
    validateBaseUrl,
    validateBoolean,
    validateEmailDomains,
    validateHeaderValue,
    validateInteger,
    validateLastEventSince,
    validateMinRiskLevel,
} from "./checks";
import { maxMaxResponseBytes, minMaxResponseBytes } from "./defaults";

/**
 * The arguments of a risk summary read, defined once: `getRiskSummary` takes them as they are,
 * `getRiskSummaryOutput` and `RiskSummaryResource` as `Input`s, `fetchRiskSummary` without
 * `secretPersonalData`, and the dynamic provider as its resource inputs, resolved (credentials as secret
 * inputs; `secretPersonalData` only tells it what to record in the audit, the SDK makes the users secret).
 * The names known to every entry point and the checks come from the table below.
 */
export interface RiskSummaryArgs {
    /** Cloudflare account id (32 hexadecimal characters). */
    readonly accountId: string;
    /** API token (preferred); else stack config `cloudflare:apiToken`, else `CLOUDFLARE_API_TOKEN`. Sent to the provider as a secret. */
    readonly apiToken?: string;
    /** Global API key, with `email`; else `cloudflare:apiKey` / `CLOUDFLARE_API_KEY`. */
    readonly apiKey?: string;
    /** Account email for the Global API key; else `cloudflare:email` / `CLOUDFLARE_EMAIL`. */
    readonly email?: string;
    /** API base URL; else `cloudflare:baseUrl`, `CLOUDFLARE_BASE_URL`, then `https://api.cloudflare.com/client/v4`. */
    readonly baseUrl?: string;
    /** Keep users whose highest level is at least this one. */
    readonly minRiskLevel?: RiskLevel;
    /** Keep users whose last risk event is at or after this ISO 8601 date-time (or date). */
    readonly lastEventSince?: string;
    /** Keep users whose email domain is one of these (exact domain, case-insensitive). */
    readonly emailDomains?: readonly string[];
    /** One deadline for the whole read, every page and retry included, in milliseconds. Default 60000. */
    readonly timeoutMs?: number;
    /** Retries of 429, 5xx and connection errors, per request. Default 3. */
    readonly maxRetries?: number;
    /** Pages requested at once. Default 8. */
    readonly concurrency?: number;
    /** `per_page` to ask for page 1 (default 1000); later pages follow the size the server reports. */
    readonly perPage?: number;
    /** Largest response body accepted, per request, in bytes (1 KiB to 1 GiB). Default 64 MiB. */
    readonly maxResponseBytes?: number;
    /**
     * Emails and names are personal data, so the user list is a secret in the state and in outputs.
     * `false` stores and shows them in plain text.
     */
    readonly secretPersonalData?: boolean;
}

export type RiskSummaryArgName = keyof RiskSummaryArgs;

/**
 * What each argument is for: the one list of names per group, from which the group's type (a `Pick`)
 * and its list of names both derive. The compiler holds it to the interface.
 */
const argumentGroups = {
    accountId: "account",
    apiToken: "credentials",
    apiKey: "credentials",
    email: "credentials",
    baseUrl: "endpoint",
    minRiskLevel: "filters",
    lastEventSince: "filters",
    emailDomains: "filters",
    timeoutMs: "client",
    maxRetries: "client",
    concurrency: "client",
    perPage: "client",
    maxResponseBytes: "client",
    secretPersonalData: "storage",
} as const satisfies { readonly [K in RiskSummaryArgName]-?: string };

type ArgumentGroup = (typeof argumentGroups)[RiskSummaryArgName];
type ArgumentsIn<G extends ArgumentGroup> = {
    [K in RiskSummaryArgName]: (typeof argumentGroups)[K] extends G ? K : never;
}[RiskSummaryArgName];

/** The names of a group's arguments, in the interface's order. */
export function argumentsIn<G extends ArgumentGroup>(group: G): readonly ArgumentsIn<G>[] {
    return (Object.keys(argumentGroups) as RiskSummaryArgName[]).filter((name): name is ArgumentsIn<G> => argumentGroups[name] === group);
}

/** Filters applied after the whole account was read, so counts can also report the unfiltered total. */
export type RiskSummaryFilters = Pick<RiskSummaryArgs, ArgumentsIn<"filters">>;
/** How the client reads: deadline, retries, concurrency, page and body sizes. */
export type RiskSummaryClientOptions = Pick<RiskSummaryArgs, ArgumentsIn<"client">>;
/** Where and as whom the client reads. */
export type RiskSummaryCredentialOptions = Pick<RiskSummaryArgs, ArgumentsIn<"credentials" | "endpoint">>;

type Check<T> = (value: unknown, argument: string) => T | undefined;

const integerFrom =
    (min: number, max: number): Check<number> =>
    (value, argument) =>
        validateInteger(value, argument, min, max);

const personalDataSetting: Check<boolean> = (value, argument) =>
    validateBoolean(value, argument, "Pass false to store emails and names in plain text, or leave it out.");

/**
 * Every argument and its check, which returns the value normalized (or undefined when unset) and
 * throws `RiskSummaryArgumentError` naming the argument. Credentials are checked one by one here and
 * together (which ones are set) by `provider/client/credentials.ts`.
 */
export const riskSummaryArgChecks: { readonly [K in keyof RiskSummaryArgs]-?: Check<NonNullable<RiskSummaryArgs[K]>> } = {
    accountId: (value, argument) => validateAccountId(value, argument),
    apiToken: validateHeaderValue,
    apiKey: validateHeaderValue,
    email: validateHeaderValue,
    baseUrl: (value, argument) => (value === undefined ? undefined : validateBaseUrl(value, argument)),
    minRiskLevel: (value) => validateMinRiskLevel(value),
    lastEventSince: (value) => validateLastEventSince(value),
    emailDomains: (value) => validateEmailDomains(value),
    timeoutMs: integerFrom(1, 3_600_000),
    maxRetries: integerFrom(0, 10),
    concurrency: integerFrom(1, 64),
    perPage: integerFrom(1, 10_000),
    maxResponseBytes: integerFrom(minMaxResponseBytes, maxMaxResponseBytes),
    secretPersonalData: personalDataSetting,
};

export const riskSummaryArgNames = Object.keys(argumentGroups) as readonly RiskSummaryArgName[];
const filterNames = argumentsIn("filters");
const clientOptionNames = argumentsIn("client");

/** The named arguments, checked; unset ones are left out. */
export function validateArgs<K extends RiskSummaryArgName>(args: object, names: readonly K[]): Pick<RiskSummaryArgs, K> {
    const given = args as Readonly<Record<string, unknown>>;
    const checked: Record<string, unknown> = {};
    for (const name of names) {
        const value = (riskSummaryArgChecks[name] as Check<unknown>)(given[name], name);
        if (value !== undefined) checked[name] = value;
    }
    return checked as Pick<RiskSummaryArgs, K>;
}

export function validateFilters(args: object): RiskSummaryFilters {
    return validateArgs(args, filterNames);
}

export function validateClientOptions(args: object): RiskSummaryClientOptions {
    return validateArgs(args, clientOptionNames);
}
