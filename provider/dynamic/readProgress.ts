import type { AccountReadProgress, AccountRiskUsers } from "../client/pages";
import { readAttempts } from "../arguments/defaults";
import type { EngineLog } from "./engineLog";

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
export function progressReporter(accountId: string, log: EngineLog): (progress: AccountReadProgress) => void {
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

/** The line that replaces the progress once the read is in. */
export function describeCompletedRead(accountId: string, done: Pick<AccountRiskUsers, "users" | "pagesRequested" | "reads">): string {
    const again = done.reads > 1 ? ` (${done.reads} reads from page 1: the account changed during the first)` : "";
    return `Read the risk scores of Cloudflare account ${accountId}: ${count(done.users.length)} users in ${count(done.pagesRequested)} pages${again}`;
}
