/**
 * Orders strings by UTF-16 code units, as `Array.prototype.sort` does by default: the same order on
 * every machine and locale, which `localeCompare` does not promise. Stored lists and digests rely on it.
 */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
