/** Describes a value without echoing it: a misplaced token must not end up in an error message. */
export function describeValue(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return `an array of ${value.length} items`;
    if (typeof value === "string") return value === "" ? "an empty string" : `a string of ${value.length} characters`;
    return `a value of type ${typeof value}`;
}
