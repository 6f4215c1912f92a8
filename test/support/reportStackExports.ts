import { randomBytes } from "node:crypto";
import { riskSummaryType } from "./riskSummaryMocks";

export { riskSummaryType };
import { mkdtemp, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { generateRiskDataset, riskDatasetReferenceDate } from "../../dev/local-api/riskDataset";
import { type RiskSummary } from "../../provider/summary/riskSummary";
import { buildRiskSummary } from "../../provider/summary/buildRiskSummary";
import { type RiskSummaryAudit, buildRiskSummaryAudit } from "../../provider/summary/audit";
import type { RiskSummaryFilters } from "../../provider/arguments/riskSummaryArgs";
import type { WireRiskUser } from "../../provider/client/schema";
import type { RiskUser } from "../../provider/model/riskUser";
import { encodeStoredRiskUsers } from "../../provider/storage/storedRiskUsers";
import { secretSignature, secretSignatureKey } from "../../sdk/report/secretEnvelope";

/** Synthetic `pulumi stack export` files, shaped like the real engine's, built from the local API's dataset. */

export const reportAccountId = "0123456789abcdef0123456789abcdef";
export const reportEndpoint = `https://api.cloudflare.com/client/v4/accounts/${reportAccountId}/zt_risk_scoring/summary`;

export interface ReportSummaryOptions {
    readonly accountId?: string;
    readonly users?: readonly WireRiskUser[];
    readonly size?: number;
    readonly seed?: number;
    readonly filters?: RiskSummaryFilters;
    readonly fetchedAt?: Date;
}

export function reportSummaryOf(options: ReportSummaryOptions = {}): RiskSummary {
    const users = options.users ?? generateRiskDataset({ size: options.size ?? 60, seed: options.seed ?? 7 });
    return buildRiskSummary(
        options.accountId ?? reportAccountId,
        users,
        options.filters ?? {},
        options.fetchedAt ?? riskDatasetReferenceDate,
    );
}

export type UsersEncoding = "plain" | "ciphertext" | "plaintext";

export interface ReportResourceSpec {
    readonly summary: RiskSummary;
    /** Default `risk-summary-<account id>`, as getRiskSummary names it. */
    readonly name?: string;
    /** Default: the audit of `summary`; `null` for a state from before the audit output. */
    readonly audit?: RiskSummaryAudit | null;
    readonly users?: UsersEncoding;
    /** Replaces the users stored in the state after the audit was computed (a tampered export). */
    readonly storedUsers?: readonly RiskUser[];
}

export function encrypted(): Record<string, string> {
    return {
        [secretSignatureKey]: secretSignature,
        ciphertext: `v1:${randomBytes(12).toString("base64")}:${randomBytes(48).toString("base64")}`,
    };
}

export function plaintextSecret(value: unknown): Record<string, string> {
    return { [secretSignatureKey]: secretSignature, plaintext: JSON.stringify(value) };
}

export const reportStackName = "dev";
const project = "risk-report-test";
const urnOf = (type: string, name: string) => `urn:pulumi:${reportStackName}::${project}::${type}::${name}`;

function resourceOf(spec: ReportResourceSpec): Record<string, unknown> {
    const { summary } = spec;
    const name = spec.name ?? `risk-summary-${summary.accountId}`;
    // As the provider stores them: one compressed string (provider/storage/storedRiskUsers.ts).
    const stored = encodeStoredRiskUsers(spec.storedUsers ?? summary.users);
    const encoding = spec.users ?? "plain";
    const users = encoding === "plain" ? stored : encoding === "plaintext" ? plaintextSecret(stored) : encrypted();
    const audit = spec.audit === undefined ? buildRiskSummaryAudit(summary, reportEndpoint) : spec.audit;
    return {
        urn: urnOf(riskSummaryType, name),
        custom: true,
        id: summary.accountId,
        type: riskSummaryType,
        inputs: { accountId: summary.accountId, apiToken: encrypted() },
        outputs: {
            __provider: "exports.handler = __f0;",
            accountId: summary.accountId,
            users,
            counts: summary.counts,
            fetchedAt: summary.fetchedAt,
            filters: summary.filters,
            ...(audit === null ? {} : { audit }),
        },
        parent: urnOf("pulumi:pulumi:Stack", `${project}-${reportStackName}`),
        provider: `${urnOf("pulumi:providers:pulumi-nodejs", "default")}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        additionalSecretOutputs: ["users"],
    };
}

/**
 * A `pulumi stack export` document holding the given RiskSummary resources among the usual others.
 * A JSON copy, as a file would give: a test may alter one field without touching shared objects.
 */
export function stackExportOf(specs: readonly ReportResourceSpec[]): Record<string, unknown> {
    return jsonCopy({
        version: 3,
        deployment: {
            manifest: { time: "2025-01-31T00:00:00Z", magic: "", version: "v3.248.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:abc" } },
            resources: [
                {
                    urn: urnOf("pulumi:pulumi:Stack", `${project}-${reportStackName}`),
                    custom: false,
                    type: "pulumi:pulumi:Stack",
                    outputs: {},
                },
                {
                    urn: urnOf("pulumi:providers:pulumi-nodejs", "default"),
                    custom: true,
                    id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                    type: "pulumi:providers:pulumi-nodejs",
                },
                ...specs.map(resourceOf),
            ],
        },
    });
}

function jsonCopy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** A fresh temporary folder for a test's files. */
export function reportTempDir(): Promise<string> {
    return mkdtemp(path.join(os.tmpdir(), "risk-report-"));
}

/** Writes each document as `<dir>/<name>` and returns the paths in the given order. */
export async function writeStackExports(dir: string, files: Readonly<Record<string, unknown>>): Promise<string[]> {
    const paths: string[] = [];
    for (const [name, doc] of Object.entries(files)) {
        const file = path.join(dir, name);
        await writeFile(file, typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
        paths.push(file);
    }
    return paths;
}
