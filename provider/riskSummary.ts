import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialSource, argumentNames, environmentSource, stackConfigNames } from "../client/credentials";
import { RiskSummaryUsageError } from "../errors/errors";
import { type AccountRiskUsers, fetchAccountRiskUsers, riskSummaryEndpoint } from "../client/pages";
import { resolveRequestSettings } from "../client/requestSettings";
import { buildRiskSummary } from "../summary/buildRiskSummary";
import { setSharedRequestLimits } from "../client/limiter";
import { validateFilters } from "../arguments/riskSummaryArguments";
import { validateInteger } from "../arguments/checks";
import { buildRiskSummaryAudit } from "../summary/audit";
import type { RiskSummaryResourceInputs, RiskSummaryResourceOutputs } from "../storage/riskSummaryState";
import { encodeStoredRiskUsers } from "../storage/storedRiskUsers";

/**
 * The dynamic provider behind `getRiskSummary`. It runs in the engine's dynamic-provider process and
 * is loaded there by module path (see the SDK's shim), so its state below lives for one deployment:
 * every resource of that deployment shares the stack config and one read per account.
 */
let stackConfig: CredentialSource | undefined;
const accountReads = new Map<string, Promise<AccountRiskUsers>>();

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
    stackConfig = {
        values: {
            apiToken: get(stackConfigNames.apiToken),
            apiKey: get(stackConfigNames.apiKey),
            email: get(stackConfigNames.email),
            baseUrl: get(stackConfigNames.baseUrl),
        },
        names: stackConfigNames,
    };
    return Promise.resolve();
}

/** Test seam: forget the stack config and cached reads, as a new provider process would. */
export function resetProviderState(): void {
    stackConfig = undefined;
    accountReads.clear();
    setSharedRequestLimits({});
}

function credentialSources(inputs: RiskSummaryResourceInputs): CredentialSource[] {
    const explicit: CredentialSource = {
        values: { apiToken: inputs.apiToken, apiKey: inputs.apiKey, email: inputs.email, baseUrl: inputs.baseUrl },
        names: argumentNames,
    };
    return stackConfig === undefined ? [explicit, environmentSource()] : [explicit, stackConfig, environmentSource()];
}

export async function read(id: string, inputs: RiskSummaryResourceInputs): Promise<pulumi.dynamic.ReadResult<RiskSummaryResourceOutputs>> {
    const filters = validateFilters(inputs);
    const settings = resolveRequestSettings(inputs.accountId, inputs, credentialSources(inputs));
    // One read per account and credential per deployment, whatever the filters of each resource.
    const key = createHash("sha256")
        .update(JSON.stringify([settings.accountId, settings.baseUrl, settings.headers]))
        .digest("hex");
    let reading = accountReads.get(key);
    if (reading === undefined) {
        reading = fetchAccountRiskUsers(settings);
        accountReads.set(key, reading);
        // A failed read must not poison later resources of the same deployment.
        reading.catch(() => accountReads.delete(key));
    }
    const { users, fetchedAt } = await reading;
    const summary = buildRiskSummary(settings.accountId, users, filters, fetchedAt);
    return {
        id,
        props: {
            accountId: summary.accountId,
            users: encodeStoredRiskUsers(summary.users),
            counts: summary.counts,
            fetchedAt: summary.fetchedAt,
            filters: summary.filters,
            audit: buildRiskSummaryAudit(summary, riskSummaryEndpoint(settings.baseUrl, settings.accountId)),
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
