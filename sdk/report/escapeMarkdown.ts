/**
 * Text that renders as itself in Markdown, table cells included: a `*` in a masked email would
 * otherwise start emphasis, a `|` split a cell, `<script>` pass through as HTML, a newline end a row.
 */
export function escapeMarkdown(value: string | number): string {
    return (
        String(value)
            .replace(/\r\n|\r|\n/g, " ")
            .replace(/[\\`*[\]<>|~&#!]/g, "\\$&")
            // An underscore inside a word never emphasises (`zt_risk_scoring`), so only the others are escaped.
            .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_")
    );
}
