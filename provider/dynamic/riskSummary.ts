import type * as pulumi from "@pulumi/pulumi";
import { type CredentialSource, argumentNames, credentialSource, environmentSource, stackConfigNames } from "../client/credentials";
import { RiskSummaryUsageError } from "./errors";
import { fetchAccountRiskUsers, riskSummaryEndpoint } from "../client/pages";
import { connectEngineLog } from "./engineLog";
import { describeCompletedRead, progressReporter } from "./readProgress";
import { forgetAccountReads, readAccountOnce } from "./accountReads";
import { resolveRequestSettings } from "../client/requestSettings";
import { selectRiskUsers } from "../summary/buildRiskSummary";
import { countRiskUsers } from "../summary/riskSummary";
import { canonicalRiskUsersJson, sha256Hex } from "../summary/digest";
import { setSharedRequestLimits } from "../client/limiter";
import { type RiskSummaryArgs, validateArgs, validateFilters } from "../arguments/riskSummaryArgs";
import { validateInteger } from "../arguments/checks";
import { type PersonalDataStorage, buildRiskSummaryAudit } from "../summary/audit";
import type { RiskSummaryResourceOutputs } from "../storage/riskSummaryState";
import { encodeStoredCanonicalRiskUsers } from "../storage/storedRiskUsers";

/**
 * The dynamic provider behind `getRiskSummary`. It runs in the engine's dynamic-provider process and
 * is loaded there by module path (see the SDK's shim), so its state below lives for one deployment:
 * every resource of that deployment shares the stack config and one read per account.
 */
let stackConfig: CredentialSource | undefined;

/** Stack config of the limits every RiskSummary of a deployment shares. */
export const requestLimitConfigNames = {
    maxConcurrentRequests: "cloudflare-risk:maxConcurrentRequests",
    maxRequestsPerFiveMinutes: "cloudflare-risk:maxRequestsPerFiveMinutes",
} as const;

function configuredLimit(value: string | undefined, name: string, max: number): number | undefined {
    if (value === undefined) return undefined;
    return validateInteger(/^\d+$/.test(value) ? Number(value) : value, name, 1, max);
}

export function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const get = (key: string) => {
        const value = req.config.get(key);
        return value === "" ? undefined : value;
    };
    const maxConcurrentRequests = configuredLimit(
        get(requestLimitConfigNames.maxConcurrentRequests),
        requestLimitConfigNames.maxConcurrentRequests,
        256,
    );
    const maxRequestsPerFiveMinutes = configuredLimit(
        get(requestLimitConfigNames.maxRequestsPerFiveMinutes),
        requestLimitConfigNames.maxRequestsPerFiveMinutes,
        1_000_000,
    );
    setSharedRequestLimits({ maxConcurrentRequests, maxRequestsPerFiveMinutes });
    stackConfig = credentialSource(stackConfigNames, get);
    return Promise.resolve();
}

/** Test seam: forget the stack config and cached reads, as a new provider process would. */
export function resetProviderState(): void {
    stackConfig = undefined;
    forgetAccountReads();
    setSharedRequestLimits({});
}

function credentialSources(inputs: RiskSummaryArgs): CredentialSource[] {
    const explicit = credentialSource(argumentNames, (name) => inputs[name as keyof RiskSummaryArgs]);
    return stackConfig === undefined ? [explicit, environmentSource()] : [explicit, stackConfig, environmentSource()];
}

/** Unknown (undefined) when the inputs predate the setting, e.g. a refresh of a state written by 0.2.0. */
function personalDataOf(inputs: RiskSummaryArgs): PersonalDataStorage | undefined {
    const { secretPersonalData } = validateArgs(inputs, ["secretPersonalData"]);
    if (secretPersonalData === undefined) return undefined;
    return secretPersonalData ? "secret" : "plain";
}

export async function read(id: string, inputs: RiskSummaryArgs): Promise<pulumi.dynamic.ReadResult<RiskSummaryResourceOutputs>> {
    const filters = validateFilters(inputs);
    const settings = resolveRequestSettings(inputs.accountId, inputs, credentialSources(inputs));
    const reading = readAccountOnce(settings, (settings) => {
        const log = connectEngineLog();
        const started = fetchAccountRiskUsers({
            ...settings,
            debug: (message) => {
                settings.debug?.(message);
                log?.send("debug", `cloudflare-risk: ${message}`, false);
            },
            progress: log === undefined ? undefined : progressReporter(settings.accountId, log),
        });
        if (log !== undefined) {
            started.then(
                (done) => log.send("info", describeCompletedRead(settings.accountId, done), true),
                () => undefined,
            );
        }
        return started;
    });
    const { users: wireUsers, fetchedAt } = await reading;
    // The summary's lists and views are the SDK's to derive: the provider stores the users and counts only.
    const users = selectRiskUsers(wireUsers, filters);
    const counts = countRiskUsers(users, wireUsers.length);
    const canonical = canonicalRiskUsersJson(users);
    const summary = { accountId: settings.accountId, users, counts, fetchedAt: fetchedAt.toISOString(), filters };
    const endpoint = riskSummaryEndpoint(settings.baseUrl, settings.accountId);
    return {
        id,
        props: {
            accountId: summary.accountId,
            users: encodeStoredCanonicalRiskUsers(canonical),
            counts,
            fetchedAt: summary.fetchedAt,
            filters,
            audit: buildRiskSummaryAudit(summary, endpoint, { personalData: personalDataOf(inputs), usersSha256: sha256Hex(canonical) }),
        },
    };
}

export function create(): Promise<pulumi.dynamic.CreateResult> {
    return Promise.reject(
        new RiskSummaryUsageError(
            "RiskSummary is a data source: it is read with `getRiskSummary`, never created. Construct it only through the SDK.",
        ),
    );
}
