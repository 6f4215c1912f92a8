import type { ServerResponse } from "node:http";
import type { RequestLogEntry } from "./requestLog";

/** A whole answer of the local API, sent at once. */
export interface Reply {
    status: number;
    body: string;
    contentType: string;
    headers?: Record<string, string>;
    /** `body` already encoded as UTF-8 (a cached page). */
    encoded?: Buffer;
}

export const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value), contentType: "application/json" });

/** Sends `reply`, recording its status in the request's log entry (control requests have none). */
export function sendReply(res: ServerResponse, entry: RequestLogEntry | undefined, reply: Reply): void {
    if (entry) entry.status = reply.status;
    res.writeHead(reply.status, {
        "content-type": reply.contentType,
        "content-length": reply.encoded?.length ?? Buffer.byteLength(reply.body),
        ...reply.headers,
    });
    res.end(reply.encoded ?? reply.body);
}
