import { riskUsersDigest } from "../../provider/summary/digest";
import type { StackExportAudit, StackExportUsers } from "./readStackExport";

/** Whether the users in an export are the ones the deployment saw, by their SHA-256 in the audit output. */
export type DigestCheck =
    | { readonly status: "verified"; readonly sha256: string }
    /** The users were changed after the read (or the audit was): the export is not what was deployed. */
    | { readonly status: "mismatch"; readonly expected: string; readonly actual: string }
    | { readonly status: "encrypted" }
    | { readonly status: "no-audit" };

export function checkUsersDigest(users: StackExportUsers, audit: StackExportAudit): DigestCheck {
    if (audit.state === "absent") return { status: "no-audit" };
    if (audit.state === "encrypted" || users.state === "encrypted") return { status: "encrypted" };
    const actual = riskUsersDigest(users.list);
    const expected = audit.audit.usersSha256;
    return actual === expected ? { status: "verified", sha256: actual } : { status: "mismatch", expected, actual };
}
