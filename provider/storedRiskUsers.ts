import { gunzipSync, gzipSync } from "node:zlib";
import { RiskSummaryError } from "./errors";
import type { RiskUser } from "./riskUser";

/**
 * How `users` travels from the provider to the engine and the program, and rests in the state: one
 * string, the base64 of the gzip of the users' JSON. As 100,000 objects, the engine's protobuf
 * `Struct` encoding alone peaked at 1.25 GiB and took about 5 s both ways; as one string it stays
 * under a third of that (docs/benchmarks.md). `base64 -d | gunzip` reads it back, as does the
 * `report` command.
 */
export function encodeStoredRiskUsers(users: readonly RiskUser[]): string {
    return gzipSync(JSON.stringify(users)).toString("base64");
}

/** Users stored as `encodeStoredRiskUsers` writes them, or as the plain list earlier versions stored. */
export function decodeStoredRiskUsers(stored: string | readonly RiskUser[]): RiskUser[] {
    if (typeof stored !== "string") return [...stored];
    let users: unknown;
    try {
        users = JSON.parse(gunzipSync(Buffer.from(stored, "base64")).toString("utf8"));
    } catch {
        users = undefined;
    }
    if (!Array.isArray(users)) {
        throw new RiskSummaryError(
            `The stored users of a RiskSummary (${stored.length} characters) are not base64 of gzip-compressed JSON; the state was edited or damaged. Run \`pulumi refresh\` or \`pulumi up\` to read them again.`,
        );
    }
    return users as RiskUser[];
}
