import { RiskSummaryArgumentError } from "../arguments/errors";
import { defaultBaseUrl } from "../arguments/defaults";
import { validateBaseUrl, validateHeaderValue } from "../arguments/checks";
import { type RiskSummaryCredentialOptions, argumentsIn } from "../arguments/riskSummaryArgs";

export type CloudflareCredentials =
    { readonly kind: "token"; readonly apiToken: string } | { readonly kind: "key"; readonly email: string; readonly apiKey: string };

/** The arguments that say where and as whom to read: apiToken, apiKey, email, baseUrl. */
const connectionArguments = [...argumentsIn("credentials"), ...argumentsIn("endpoint")];
type ConnectionArgument = keyof RiskSummaryCredentialOptions;
type ConnectionNames = { readonly [K in ConnectionArgument]: string };

/** One place credentials may come from, with the names a user would set them under there. */
export interface CredentialSource {
    readonly values: { readonly [K in ConnectionArgument]?: unknown };
    readonly names: ConnectionNames;
}

function namesBy(name: (argument: ConnectionArgument) => string): ConnectionNames {
    return Object.fromEntries(connectionArguments.map((argument) => [argument, name(argument)])) as unknown as ConnectionNames;
}

export const argumentNames = namesBy((argument) => argument);
/** As the official Cloudflare provider names them: `cloudflare:apiToken`. */
export const stackConfigNames = namesBy((argument) => `cloudflare:${argument}`);
/** `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_API_KEY`, `CLOUDFLARE_EMAIL`, `CLOUDFLARE_BASE_URL`. */
export const environmentNames = namesBy((argument) => `CLOUDFLARE_${argument.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);

/** The source whose values `read` finds under `names`. */
export function credentialSource(names: ConnectionNames, read: (name: string) => unknown): CredentialSource {
    return { values: Object.fromEntries(connectionArguments.map((argument) => [argument, read(names[argument])])), names };
}

export function environmentSource(env: NodeJS.ProcessEnv = process.env): CredentialSource {
    return credentialSource(environmentNames, (name) => (env[name] === "" ? undefined : env[name]));
}

/**
 * The credentials one source sets, validated: undefined when it sets none; an error for a token and a
 * key together, or half a Global API key.
 */
export function credentialsOf({ values, names }: CredentialSource): CloudflareCredentials | undefined {
    const apiToken = validateHeaderValue(values.apiToken, names.apiToken);
    const apiKey = validateHeaderValue(values.apiKey, names.apiKey);
    const email = validateHeaderValue(values.email, names.email);
    if (apiToken === undefined && apiKey === undefined && email === undefined) return undefined;
    if (apiToken !== undefined && (apiKey !== undefined || email !== undefined)) {
        throw new RiskSummaryArgumentError(
            names.apiToken,
            `both an API token and a Global API key (${names.apiKey}/${names.email}) are set`,
            `Set only one: the API token (preferred), or ${names.apiKey} with ${names.email}.`,
        );
    }
    if (apiToken !== undefined) return { kind: "token", apiToken };
    if (apiKey === undefined || email === undefined) {
        const missing = apiKey === undefined ? names.apiKey : names.email;
        throw new RiskSummaryArgumentError(
            missing,
            "a Global API key needs both the key and the account email",
            `Set ${missing} too, or use an API token instead.`,
        );
    }
    return { kind: "key", email, apiKey };
}

/**
 * The first source that sets any credential wins as a whole (arguments, then stack config, then the
 * environment), so a token in the environment never mixes with a key given as an argument.
 */
export function resolveCredentials(sources: readonly CredentialSource[]): CloudflareCredentials {
    for (const source of sources) {
        const credentials = credentialsOf(source);
        if (credentials !== undefined) return credentials;
    }
    const [first] = sources;
    throw new RiskSummaryArgumentError(
        first?.names.apiToken ?? "apiToken",
        "no Cloudflare credentials were found",
        "Pass apiToken, or run `pulumi config set --secret cloudflare:apiToken <token>`, or set CLOUDFLARE_API_TOKEN " +
            '(the token needs the "Zero Trust: PII Read" permission).',
    );
}

export function resolveBaseUrl(sources: readonly CredentialSource[]): string {
    for (const { values, names } of sources) {
        if (values.baseUrl !== undefined) return validateBaseUrl(values.baseUrl, names.baseUrl);
    }
    return defaultBaseUrl;
}

export function authHeaders(credentials: CloudflareCredentials): Record<string, string> {
    return credentials.kind === "token"
        ? { authorization: `Bearer ${credentials.apiToken}` }
        : { "x-auth-email": credentials.email, "x-auth-key": credentials.apiKey };
}
