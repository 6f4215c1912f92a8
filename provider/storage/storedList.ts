import { constants, gunzipSync, gzipSync } from "node:zlib";
import { StoredStateError } from "./errors";

/**
 * How a long list travels between the program, the engine and the providers, and rests in the state:
 * one string, the base64 of the gzip of its JSON. As objects, a large account's users cost the
 * engine's protobuf `Struct` encoding far more memory and time in both processes than one string
 * (docs/benchmarks.md has the figures). `base64 -d | gunzip` reads it back.
 */
export function encodeStoredList(items: readonly unknown[]): string {
    return encodeStoredJson(JSON.stringify(items));
}

/**
 * A JSON text as `encodeStoredList` stores it, at gzip's fastest level: a large account's list is
 * compressed on every read, and the higher levels take much longer for little less size.
 */
export function encodeStoredJson(json: string): string {
    return gzipSync(json, { level: constants.Z_BEST_SPEED }).toString("base64");
}

/**
 * A list stored by `encodeStoredList`, or the plain list earlier versions stored. `what` names it in
 * the error, e.g. "users of a RiskSummary".
 */
export function decodeStoredList<T>(stored: string | readonly T[], what: string): T[] {
    if (typeof stored !== "string") return [...stored];
    let items: unknown;
    try {
        items = JSON.parse(gunzipSync(Buffer.from(stored, "base64")).toString("utf8"));
    } catch {
        items = undefined;
    }
    if (!Array.isArray(items)) {
        throw new StoredStateError(
            `The stored ${what} (${stored.length} characters) are not base64 of gzip-compressed JSON; the state was edited or damaged. Run \`pulumi refresh\` or \`pulumi up\` to read them again.`,
        );
    }
    return items as T[];
}
