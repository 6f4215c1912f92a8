import { RiskSummaryArgumentError } from "./errors";

/** Rejects keys that are not arguments, naming the closest one when it looks like a typo. */
export function rejectUnknownArguments(args: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(args)) {
        if (known.includes(key) || args[key] === undefined) continue;
        const shown = /^[\w$-]{1,40}$/.test(key) ? key : `${key.slice(0, 20).replace(/[^\w$-]/g, "?")}…`;
        const near = known.find(
            (k) =>
                k.toLowerCase() === key.toLowerCase() ||
                (key.length > 3 && (k.startsWith(key.slice(0, 4)) || key.startsWith(k.slice(0, 4)))),
        );
        throw new RiskSummaryArgumentError(
            shown,
            "not an argument of this function",
            near === undefined ? `Use one of ${known.join(", ")}.` : `Did you mean ${near}?`,
        );
    }
}
