import type { z } from "zod";
import { issuePath } from "../../provider/errors/issuePath";
import type { StackExportIssue } from "./errors";

/**
 * Zod issues as `path: problem`. For a union, the branch that got furthest into the value explains
 * the failure best (a users list with one bad user, rather than "not an encrypted secret").
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): StackExportIssue[] {
    const out: StackExportIssue[] = [];
    for (const issue of issues) {
        const path = [...prefix, ...issue.path];
        if (issue.code === "invalid_union" && issue.errors.length > 0) {
            const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(0, ...branch.map((i) => i.path.length));
            const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
            out.push(...describeIssues(best, path));
            continue;
        }
        out.push({ path: issuePath(path), problem: issue.message });
    }
    return out;
}
