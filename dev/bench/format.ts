/** Number formats of the report. */

export const ms = (value: number): string =>
    value >= 10_000
        ? `${(value / 1000).toFixed(1)} s`
        : value >= 1000
          ? `${(value / 1000).toFixed(2)} s`
          : `${value.toFixed(value < 10 ? 1 : 0)} ms`;

export const signedMs = (value: number): string => `${value >= 0 ? "+" : "−"}${ms(Math.abs(value))}`;

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;

export const bytes = (value: number): string => `${Math.round(value).toLocaleString("en-US")} B`;

export const times = (ratio: number): string => `${ratio.toFixed(2)}×`;

export const percent = (share: number): string => `${(share * 100).toFixed(0)} %`;

export const count = (value: number): string => value.toLocaleString("en-US");

/** A Markdown table; cells must not hold `|` (escaped here) or newlines. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ("l" | "r")[] = []): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const rule = header.map((_, i) => (align[i] === "r" ? "---:" : "---"));
    return [header, rule, ...rows].map((row, i) => `| ${(i === 1 ? row : row.map(cell)).join(" | ")} |`).join("\n");
}
