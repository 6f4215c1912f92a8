import { judgeRead } from "../../../../provider/client/readConsistency";
import type { RiskSummaryPage, WireRiskUser } from "../../../../provider/client/schema";
import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";

const users = generateRiskDataset({ size: 12, seed: 7 });

/** Pages of `perPage` over `list`, each reporting `total` (default: the list's length). */
function pagesOf(list: readonly WireRiskUser[], perPage: number, total = list.length): Map<number, RiskSummaryPage> {
    const pages = new Map<number, RiskSummaryPage>();
    const totalPages = Math.ceil(total / perPage);
    for (let page = 1; page <= Math.max(1, Math.ceil(list.length / perPage)); page++) {
        const slice = list.slice((page - 1) * perPage, page * perPage);
        pages.set(page, {
            success: true,
            errors: [],
            messages: [],
            result: { users: slice },
            result_info: { count: slice.length, page, per_page: perPage, total_count: total, total_pages: totalPages },
        } as RiskSummaryPage);
    }
    return pages;
}

describe("judgeRead", () => {
    it("accepts pages that list every user once, as many as every page counts", () => {
        const verdict = judgeRead(pagesOf(users, 5));
        expect(verdict).toEqual({ kind: "consistent", users, totalCount: 12 });
    });

    it("accepts one page without result_info, its users being the account", () => {
        const page = { success: true, errors: [], messages: [], result: { users } } as unknown as RiskSummaryPage;
        expect(judgeRead(new Map([[1, page]]))).toEqual({ kind: "consistent", users, totalCount: 12 });
    });

    it("sees a page whose totals differ from page 1's as a change, in counts and page numbers only", () => {
        const pages = pagesOf(users, 5);
        const later = pagesOf([...users, users[0]!], 5, 13);
        pages.set(3, later.get(3)!);
        const verdict = judgeRead(pages);
        expect(verdict).toEqual({ kind: "changed", changes: ["page 3 reported 13 users in 3 pages where page 1 reported 12 in 3"] });
        expect(JSON.stringify(verdict)).not.toContain(users[0]!.email);
    });

    it("sees a user listed on two pages as a change (a user who moved while the pages were read)", () => {
        // The last user moved to the front after page 1 was read: page 2 starts with page 1's last user.
        const moved = [users[11]!, ...users.slice(0, 11)];
        const pages = pagesOf(users, 5);
        const after = pagesOf(moved, 5);
        pages.set(2, after.get(2)!);
        pages.set(3, after.get(3)!);
        expect(judgeRead(pages)).toEqual({
            kind: "changed",
            changes: ["1 user was listed twice (the first on pages 1 and 2), leaving 11 different users of the 12 every page reported"],
            pageOneAgain: undefined,
        });
    });

    it("marks a later page that repeats page 1, as a server that ignores `page` does", () => {
        const pages = pagesOf(users, 5);
        pages.set(2, { ...pages.get(1)! });
        const verdict = judgeRead(pages);
        expect(verdict.kind).toBe("changed");
        expect(verdict.kind === "changed" && verdict.pageOneAgain).toEqual({ read: 7, totalCount: 12 });
    });

    it("sees more users than counted as a change, and fewer, none listed twice, as an incomplete listing", () => {
        expect(judgeRead(pagesOf(users, 5, 11)).kind).toBe("changed");
        expect(judgeRead(pagesOf(users.slice(0, 10), 5, 12))).toEqual({
            kind: "incomplete",
            read: 10,
            totalCount: 12,
            reason: "the pages ended before `result_info.total_count` was reached",
        });
    });
});
