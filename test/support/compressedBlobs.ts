import { constants, gunzipSync } from "node:zlib";

// Lists travel compressed (provider/storage/storedList.ts): base64 of gzip, which always starts "H4sI".
const compressedBlob = /H4sI[A-Za-z0-9+/]{8,}={0,2}/g;

/**
 * The text followed by what every compressed list in it holds, so that a search for an email finds
 * it whether it was written plainly or compressed. A blob cut short (a truncated log line) still
 * yields what it holds up to the cut.
 */
export function withDecompressedBlobs(text: string): string {
    const revealed = [text];
    for (const [blob] of text.matchAll(compressedBlob)) {
        try {
            revealed.push(gunzipSync(Buffer.from(blob, "base64"), { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8"));
        } catch {
            // Not gzip after all (or cut inside its header): nothing readable in it.
        }
    }
    return revealed.join("\n");
}
