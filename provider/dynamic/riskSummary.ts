import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { type CredentialSource, argumentNames, environmentSource, stackConfigNames } from "../client/credentials";
import { RiskSummaryUsageError } from "./errors";
import { type AccountReadProgress, fetchAccountRiskUsers, riskSummaryEndpoint } from "../client/pages";
import { forgetAccountReads, readAccountOnce } from "./accountReads";
import { resolveRequestSettings } from "../client/requestSettings";
import { selectRiskUsers } from "../summary/buildRiskSummary";
import { countRiskUsers } from "../summary/riskSummary";
import { canonicalRiskUsersJson, sha256Hex } from "../summary/digest";
import { setSharedRequestLimits } from "../client/limiter";
import { checkRiskSummaryArguments, validateFilters } from "../arguments/riskSummaryArguments";
import { validateInteger } from "../arguments/checks";
import { readAttempts } from "../arguments/defaults";
import { type PersonalDataStorage, buildRiskSummaryAudit } from "../summary/audit";
import type { RiskSummaryResourceInputs, RiskSummaryResourceOutputs } from "../storage/riskSummaryState";
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

/** Messages to the engine, which shows them in `pulumi preview` and `pulumi up`. */
interface EngineLog {
    /** `ephemeral`: a status that the next one replaces (the stack's row in the display), not a diagnostic that stays. */
    send(severity: "debug" | "info", message: string, ephemeral: boolean): void;
}

let engineLog: EngineLog | null | undefined;

/**
 * The engine's log service, which it passes to the dynamic-provider host as its only argument; the
 * host does not connect to it, so `pulumi.log` goes nowhere in this process. Undefined elsewhere (a
 * program, a test). A read does not know its resource's URN (the host does not pass it), so messages
 * carry none, and the engine shows them on the stack's row.
 */
function connectEngineLog(): EngineLog | undefined {
    if (engineLog !== undefined) return engineLog ?? undefined;
    engineLog = null;
    const [, script = "", address = ""] = process.argv;
    if (!/dynamic-provider/.test(script) || !/^[\w.-]+:\d+$/.test(address)) return undefined;
    try {
        // @pulumi/pulumi's own gRPC stubs and its copy of grpc-js, as its runtime uses them.
        const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as typeof import("@grpc/grpc-js");
        const stubs = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
        const messages = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
        const client = new stubs.EngineClient(address, grpc.credentials.createInsecure());
        const queue: LogRequest[] = [];
        let sending = false;
        // One at a time, so that statuses arrive in order; a failed delivery is dropped: messages never fail a read.
        const pump = (): void => {
            const next = queue.shift();
            sending = next !== undefined;
            if (next !== undefined) client.log(next, () => pump());
        };
        engineLog = {
            send(severity, message, ephemeral) {
                const request = new messages.LogRequest()
                    .setSeverity(severity === "debug" ? messages.LogSeverity.DEBUG : messages.LogSeverity.INFO)
                    .setMessage(message)
                    .setUrn("")
                    .setEphemeral(ephemeral);
                // Only the latest status matters: one still waiting to be sent is replaced.
                const stale = ephemeral ? queue.findIndex((r) => r.getEphemeral()) : -1;
                if (stale >= 0) queue.splice(stale, 1);
                queue.push(request);
                if (!sending) pump();
            },
        };
    } catch {
        engineLog = null;
    }
    return engineLog ?? undefined;
}

const count = (n: number | undefined) => (n === undefined ? "?" : n.toLocaleString("en-US"));
const waitReasons = {
    "Retry-After": "Retry-After from Cloudflare",
    backoff: "before a retry",
    "rate limit": "rate limit, cloudflare-risk:maxRequestsPerFiveMinutes",
} as const;

/** A read's progress as one line: counts and waits, never a user. */
export function describeReadProgress(accountId: string, p: AccountReadProgress): string {
    const pages = p.totalPages === undefined ? `page ${p.pagesRead}` : `page ${p.pagesRead} of ${count(p.totalPages)}`;
    const wait =
        p.waitMs === undefined || p.waitCause === undefined
            ? ""
            : `; waiting ${Math.max(1, Math.ceil(p.waitMs / 1000))} s (${waitReasons[p.waitCause]})`;
    // A later read says why it started again, so that a slow preview explains itself.
    const again = p.read > 1 ? ` (read ${p.read} of at most ${readAttempts}: the account changed during the last one)` : "";
    return `Reading the risk scores of Cloudflare account ${accountId}: ${pages}, ${count(p.usersRead)} of ${count(p.totalCount)} users${again}${wait}`;
}

/** At most one status every half second, but every wait of a second or more, and the last page, at once. */
function progressReporter(accountId: string, log: EngineLog): (progress: AccountReadProgress) => void {
    let sentAt = 0;
    let read = 1;
    return (progress) => {
        const now = Date.now();
        const urgent =
            progress.read !== read ||
            (progress.waitMs !== undefined && progress.waitMs >= 1000) ||
            (progress.totalPages !== undefined && progress.pagesRead >= progress.totalPages);
        if (!urgent && now - sentAt < 500) return;
        sentAt = now;
        read = progress.read;
        log.send("info", describeReadProgress(accountId, progress), true);
    };
}

/** Test seam: forget the stack config and cached reads, as a new provider process would. */
export function resetProviderState(): void {
    stackConfig = undefined;
    forgetAccountReads();
    setSharedRequestLimits({});
}

function credentialSources(inputs: RiskSummaryResourceInputs): CredentialSource[] {
    const explicit: CredentialSource = {
        values: { apiToken: inputs.apiToken, apiKey: inputs.apiKey, email: inputs.email, baseUrl: inputs.baseUrl },
        names: argumentNames,
    };
    return stackConfig === undefined ? [explicit, environmentSource()] : [explicit, stackConfig, environmentSource()];
}

/** Unknown (undefined) when the inputs predate the setting, e.g. a refresh of a state written by 0.2.0. */
function personalDataOf(inputs: RiskSummaryResourceInputs): PersonalDataStorage | undefined {
    const { secretPersonalData } = checkRiskSummaryArguments(inputs, ["secretPersonalData"]);
    if (secretPersonalData === undefined) return undefined;
    return secretPersonalData ? "secret" : "plain";
}

export async function read(id: string, inputs: RiskSummaryResourceInputs): Promise<pulumi.dynamic.ReadResult<RiskSummaryResourceOutputs>> {
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
                (done) =>
                    log.send(
                        "info",
                        `Read the risk scores of Cloudflare account ${settings.accountId}: ${count(done.users.length)} users in ${count(done.pagesRequested)} pages` +
                            (done.reads > 1 ? ` (${done.reads} reads from page 1: the account changed during the first)` : ""),
                        true,
                    ),
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
