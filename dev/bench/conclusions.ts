import { percent } from "./format";

/**
 * How docs/benchmarks.md words what it measured: every comparison its prose makes ("faster",
 * "lower", "within the limit") is taken here, from the two figures it compares, so that a run that
 * measures otherwise reads otherwise.
 */

/** Two medians that differ by no more than this share of the larger one are called within noise of each other. */
export const noiseShare = 0.05;

export type Order = "less" | "same" | "more";

/** `a` against `b`: `same` when they differ by at most `tolerance` of the larger (in absolute value). */
export function order(a: number, b: number, tolerance = noiseShare): Order {
    const scale = Math.max(Math.abs(a), Math.abs(b));
    if (Math.abs(a - b) <= tolerance * scale) return "same";
    return a < b ? "less" : "more";
}

/** The sentence of the page's header that says what "within noise" means below. */
export const noiseNote = `Below, two medians within ${percent(noiseShare)} of each other are called *within noise* of each other.`;

/** A duration `a` against `b`: "faster than", "within noise of" or "slower than" (followed by `b`). */
export function compareTime(a: number, b: number): string {
    return { less: "faster than", same: "within noise of", more: "slower than" }[order(a, b)];
}

/** A memory or size figure `a` against `b`: "lower than", "within noise of" or "higher than" (followed by `b`). */
export function compareAmount(a: number, b: number): string {
    return { less: "lower than", same: "within noise of", more: "higher than" }[order(a, b)];
}

/** Whether `value` holds against an upper `limit` (exactly, as the targets are checked): "within" or "above" (followed by the limit). */
export function againstLimit(value: number, limit: number): "within" | "above" {
    return value <= limit ? "within" : "above";
}

/** `value` against the sum of the others: "more than", "about as much as" or "less than" (followed by "the rest together"). */
export function shareOf(value: number, others: number): string {
    return { less: "less than", same: "about as much as", more: "more than" }[order(value, others)];
}

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[]): string {
    if (items.length <= 1) return items.join("");
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
