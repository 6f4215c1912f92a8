/** A short list for a message: the first `limit` items, then how many more (`a, b and 3 more`). */
export function listFirst(items: readonly string[], limit: number, separator = ", "): string {
    const shown = items.slice(0, limit).join(separator);
    return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
