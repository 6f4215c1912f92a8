import { readFile } from "node:fs/promises";
import type { RiskSummaryCounts } from "../../provider/summary/riskSummary";
import type { RiskSummaryAudit } from "../../provider/summary/audit";
import type { RiskSummaryFilters } from "../../provider/arguments/riskSummaryArgs";
import type { RiskUser } from "../../provider/model/riskUser";
import {
    NoRiskSummaryError,
    StackExportFileError,
    StackExportFormatError,
    type StackExportIssue,
    StackExportJsonError,
    SecretPlaintextError,
} from "./errors";
import { isEncryptedSecret, revealPlaintextSecrets } from "./secretEnvelope";
import { riskSummaryResourceType } from "../resources/resourceTypes";
import { issuePath } from "../../provider/errors/issuePath";
import { describeIssues } from "./describeIssues";
import { riskSummaryOutputsSchema, stackExportSchema } from "./stackExportSchema";
import { compareStrings } from "../../provider/model/compareStrings";

/** The users of a summary: a list when the export showed secrets, otherwise only the fact they exist. */
export type StackExportUsers = { readonly state: "plaintext"; readonly list: readonly RiskUser[] } | { readonly state: "encrypted" };

export type StackExportAudit =
    | { readonly state: "present"; readonly audit: RiskSummaryAudit }
    | { readonly state: "encrypted" }
    /** Written by a version of the package that had no `audit` output. */
    | { readonly state: "absent" };

/** One RiskSummary resource of a stack export. */
export interface StackExportSummary {
    readonly urn: string;
    /** The resource name, the last part of the URN (e.g. `risk-summary-<account id>`). */
    readonly resourceName: string;
    readonly stackName: string;
    readonly accountId: string;
    readonly fetchedAt: string;
    readonly counts: RiskSummaryCounts;
    readonly filters: RiskSummaryFilters & Readonly<Record<string, unknown>>;
    readonly users: StackExportUsers;
    readonly audit: StackExportAudit;
}

export interface StackExport {
    /** The file as it was given. */
    readonly file: string;
    /** Sorted by resource name. */
    readonly summaries: readonly StackExportSummary[];
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`; a name may itself hold `::`. */
function urnParts(urn: string): { stackName: string; resourceName: string } {
    const parts = urn.split("::");
    const head = parts[0] ?? "";
    return {
        stackName: head.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : "",
        resourceName: parts.length >= 4 ? parts.slice(3).join("::") : urn,
    };
}

/** Files written by PowerShell's `>` are UTF-16 with a byte order mark; others may carry a UTF-8 one. */
function decodeText(bytes: Buffer): string {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
    const text = bytes.toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const plainFields = ["accountId", "counts", "fetchedAt", "filters"] as const;

function readSummary(
    file: string,
    resource: { urn: string; outputs?: Record<string, unknown> | undefined },
    index: number,
): StackExportSummary {
    const at = ["deployment", "resources", index, "outputs"];
    const fail = (issues: StackExportIssue[]) =>
        new StackExportFormatError(
            file,
            issues.map((i) => ({ ...i, problem: `${i.problem} (resource ${resource.urn})` })),
        );
    if (resource.outputs === undefined)
        throw fail([{ path: issuePath(at), problem: "missing: the resource was never read (run `pulumi up`, then export again)" }]);
    let outputs: unknown;
    try {
        outputs = revealPlaintextSecrets(resource.outputs);
    } catch (error) {
        if (!(error instanceof SecretPlaintextError)) throw error;
        throw fail([{ path: issuePath([...at, ...error.path]), problem: "a secret's plaintext is not JSON" }]);
    }
    const record = outputs as Record<string, unknown>;
    // Only the user list is secret by default; anything else encrypted needs the secrets to be shown.
    const encrypted = plainFields.filter((f) => isEncryptedSecret(record[f]));
    if (encrypted.length > 0) {
        throw new StackExportFormatError(
            file,
            encrypted.map((f) => ({ path: issuePath([...at, f]), problem: `encrypted (resource ${resource.urn})` })),
            "Export the stack with `pulumi stack export --show-secrets --file <file>`.",
        );
    }
    const parsed = riskSummaryOutputsSchema.safeParse(outputs);
    if (!parsed.success) throw fail(describeIssues(parsed.error.issues, at));
    const o = parsed.data;
    const users: StackExportUsers = Array.isArray(o.users) ? { state: "plaintext", list: o.users } : { state: "encrypted" };
    const audit: StackExportAudit =
        o.audit === undefined
            ? { state: "absent" }
            : "ciphertext" in o.audit
              ? { state: "encrypted" }
              : { state: "present", audit: o.audit };
    return {
        urn: resource.urn,
        ...urnParts(resource.urn),
        accountId: o.accountId,
        fetchedAt: o.fetchedAt,
        counts: o.counts,
        filters: o.filters,
        users,
        audit,
    };
}

/** Parses the text of a `pulumi stack export` and extracts its RiskSummary resources. `file` names it in errors. */
export function parseStackExport(text: string, file: string): StackExport {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new StackExportJsonError(file, (error as Error).message);
    }
    if (typeof json === "object" && json !== null && "checkpoint" in json && !("deployment" in json)) {
        throw new StackExportFormatError(
            file,
            [{ path: "", problem: "this is a backend checkpoint file, not an export" }],
            "Export the stack with `pulumi stack export --show-secrets --file <file>` instead of reading the backend's files.",
        );
    }
    const parsed = stackExportSchema.safeParse(json);
    if (!parsed.success) throw new StackExportFormatError(file, describeIssues(parsed.error.issues));
    const resources = parsed.data.deployment.resources ?? [];
    const summaries: StackExportSummary[] = [];
    const seen = new Set<string>();
    resources.forEach((resource, index) => {
        if (resource.type !== riskSummaryResourceType) return;
        if (seen.has(resource.urn)) {
            throw new StackExportFormatError(file, [
                { path: issuePath(["deployment", "resources", index, "urn"]), problem: `duplicate URN ${resource.urn}` },
            ]);
        }
        seen.add(resource.urn);
        summaries.push(readSummary(file, resource, index));
    });
    if (summaries.length === 0) throw new NoRiskSummaryError(file, resources.length);
    summaries.sort((a, b) => compareStrings(a.resourceName, b.resourceName));
    return { file, summaries };
}

export async function readStackExportFile(file: string): Promise<StackExport> {
    let bytes: Buffer;
    try {
        bytes = await readFile(file);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason =
            code === "ENOENT"
                ? "file not found"
                : code === "EISDIR"
                  ? "is a folder, not a file"
                  : code === "EACCES"
                    ? "permission denied"
                    : `cannot be read (${code ?? (error as Error).message})`;
        throw new StackExportFileError(file, code, reason);
    }
    return parseStackExport(decodeText(bytes), file);
}
