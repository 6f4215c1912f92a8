import type { RiskSummaryPage, WireRiskUser } from "./schema";

/**
 * Whether the pages of one read from page 1 show one state of the account. The endpoint has no
 * snapshot or cursor, so this is judged from the pages alone. A read is consistent when:
 *  - every page that reports `result_info` reports the `total_count` and `total_pages` of page 1;
 *  - no user is listed twice (on two pages, or twice on one);
 *  - the users listed number exactly that `total_count`.
 * A user added or removed between two requests changes the totals; a user who moves across pages
 * that were read at different times is listed twice (and, since the totals hold, another is
 * missing). So when each change lands between two requests, a consistent read lists exactly the
 * users of one state of the account, each as the endpoint last served them during the read.
 */
export type ReadVerdict =
    | { readonly kind: "consistent"; readonly users: WireRiskUser[]; readonly totalCount: number }
    /**
     * The account changed under the read: read it again from page 1. `changes` names counts and pages,
     * never a user. `pageOneAgain`: a later page listed exactly page 1's users, as a server that ignores
     * `page` does; a changing account can do that too (small pages), so only a repeat on every read tells.
     */
    | {
          readonly kind: "changed";
          readonly changes: string[];
          readonly pageOneAgain?: { readonly read: number; readonly totalCount: number };
      }
    /** The server lists fewer users than it counts, the totals holding: reading again would not help. */
    | { readonly kind: "incomplete"; readonly read: number; readonly totalCount: number; readonly reason: string };

const count = (n: number) => n.toLocaleString("en-US");

/** The pages of a read that page 1 says is complete in `pages.size` pages, or was stopped early by a changed page. */
export function judgeRead(pages: ReadonlyMap<number, RiskSummaryPage>): ReadVerdict {
    const numbers = [...pages.keys()].sort((a, b) => a - b);
    const first = pages.get(1)!;
    const info = first.result_info ?? undefined;

    const changes: string[] = [];
    if (info !== undefined) {
        for (const page of numbers) {
            const other = pages.get(page)!.result_info ?? undefined;
            if (other === undefined || (other.total_count === info.total_count && other.total_pages === info.total_pages)) continue;
            changes.push(
                `page ${page} reported ${count(other.total_count)} users in ${count(other.total_pages)} pages where page 1 reported ` +
                    `${count(info.total_count)} in ${count(info.total_pages)}`,
            );
        }
    }
    if (changes.length > 0) return { kind: "changed", changes };

    const pageOf = new Map<string, number>();
    const users: WireRiskUser[] = [];
    let repeated = 0;
    let repeatedAt: [number, number] | undefined;
    for (const page of numbers) {
        for (const user of pages.get(page)!.result.users) {
            const seen = pageOf.get(user.user_id);
            if (seen === undefined) {
                pageOf.set(user.user_id, page);
                users.push(user);
            } else {
                repeated++;
                repeatedAt ??= [seen, page];
            }
        }
    }
    const totalCount = info?.total_count ?? users.length;
    if (repeated === 0 && users.length === totalCount) return { kind: "consistent", users, totalCount };

    if (repeated === 0 && users.length < totalCount) {
        return {
            kind: "incomplete",
            read: users.length,
            totalCount,
            reason: "the pages ended before `result_info.total_count` was reached",
        };
    }
    const where = repeatedAt === undefined ? "" : ` (the first on pages ${repeatedAt[0]} and ${repeatedAt[1]})`;
    const listed =
        repeated > 0
            ? `${count(repeated)} ${repeated === 1 ? "user was" : "users were"} listed twice${where}, leaving ` +
              `${count(users.length)} different users of the ${count(totalCount)} every page reported`
            : `the pages listed ${count(users.length)} different users where every page reported ${count(totalCount)}`;
    const pageOneAgain = repeated > 0 && numbers.some((page) => page > 1 && repeatsPageOne(first, pages.get(page)!));
    return { kind: "changed", changes: [listed], pageOneAgain: pageOneAgain ? { read: users.length, totalCount } : undefined };
}

/** A non-empty page listing exactly page 1's users in page 1's order: what a proxy that drops the query string serves. */
function repeatsPageOne(first: RiskSummaryPage, page: RiskSummaryPage): boolean {
    const a = first.result.users;
    const b = page.result.users;
    return b.length > 0 && a.length === b.length && a.every((user, i) => user.user_id === b[i]!.user_id);
}
