/** A field path as a message shows it: `result.users[3].max_risk_level`. */
export function issuePath(path: readonly PropertyKey[]): string {
    let text = "";
    for (const key of path) text += typeof key === "number" ? `[${key}]` : text === "" ? String(key) : `.${String(key)}`;
    return text;
}
