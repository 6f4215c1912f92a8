import type { WireRiskUser } from "../../provider/client/schema";

/** What the package must report for users served as they are: the counts of an unfiltered summary. */
export function countsOf(users: readonly Pick<WireRiskUser, "max_risk_level">[]) {
    const of = (level: string) => users.filter((u) => u.max_risk_level === level).length;
    return { total: users.length, high: of("high"), medium: of("medium"), low: of("low"), accountTotal: users.length };
}

/** The high-risk users' emails as the package reports them: lower-cased, unique, sorted. */
export function highRiskEmailsOf(users: readonly Pick<WireRiskUser, "max_risk_level" | "email">[]): string[] {
    return [...new Set(users.filter((u) => u.max_risk_level === "high").map((u) => u.email.toLowerCase()))].sort();
}
