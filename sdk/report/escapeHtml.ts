const entities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in HTML and SVG content and in quoted attributes: every value of a report goes through it. */
export function escapeHtml(value: string | number): string {
    return String(value).replace(/[&<>"']/g, (c) => entities[c] as string);
}
