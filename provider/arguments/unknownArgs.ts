import { RiskSummaryArgumentError } from "./errors";

/** Where the keys sit and what they are, for the message: `rules` and "a gate rule" name `rules.maxHighRisk`. */
export interface KeyKind {
    readonly parent?: string;
    readonly noun: string;
}

const argumentKind: KeyKind = { noun: "an argument of this function" };

/** Rejects keys that are not arguments (or rules…), naming the closest one when it looks like a typo. */
export function rejectUnknownArgs(args: Record<string, unknown>, known: readonly string[], kind: KeyKind = argumentKind): void {
    for (const key of Object.keys(args)) {
        if (known.includes(key) || args[key] === undefined) continue;
        const name = /^[\w$-]{1,40}$/.test(key) ? key : `${key.slice(0, 20).replace(/[^\w$-]/g, "?")}…`;
        const shown = kind.parent === undefined ? name : `${kind.parent}.${name}`;
        const near = known.find(
            (k) =>
                k.toLowerCase() === key.toLowerCase() ||
                (key.length > 3 && (k.startsWith(key.slice(0, 4)) || key.startsWith(k.slice(0, 4)))),
        );
        throw new RiskSummaryArgumentError(
            shown,
            `not ${kind.noun}`,
            near === undefined ? `Use one of ${known.join(", ")}.` : `Did you mean ${near}?`,
        );
    }
}
