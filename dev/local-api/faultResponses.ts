import type { ServerResponse } from "node:http";
import type { WireRiskUser } from "../../provider/client/schema";
import type { SummaryEnvelope } from "./cloudflareEnvelope";
import type { ScriptedFailure } from "./scriptedFailures";

/** The scripted failures that alter a normal page rather than replace it, and how they do. */

export type PageEdit = Extract<
    ScriptedFailure,
    { kind: "unknownLevel" | "dropField" | "extraFields" | "totalPages" | "duplicateUsers" | "resultInfo" }
>;

/** The page as a scripted failure serves it; `served` is the account's whole user list, in paging order. */
export function editPage(envelope: SummaryEnvelope, edit: PageEdit, served: readonly WireRiskUser[]): unknown {
    const users = envelope.result.users as unknown as Record<string, unknown>[];
    const info = envelope.result_info;
    switch (edit.kind) {
        case "unknownLevel":
        case "dropField": {
            const user = users[Math.min(edit.index ?? 0, users.length - 1)];
            if (user === undefined) return envelope;
            if (edit.kind === "unknownLevel") user.max_risk_level = edit.level ?? "critical";
            else delete user[edit.field];
            return envelope;
        }
        case "extraFields":
            for (const user of users)
                Object.assign(user, { risk_score: 87, department: "Finance", devices: [{ id: "device-1", os: "macOS" }] });
            return {
                ...envelope,
                result: { ...envelope.result, trend: { direction: "up", window_days: 30 } },
                result_info: { ...info, cursor: "opaque-cursor" },
                meta: { api_version: "2099-01-01" },
            };
        case "totalPages":
            info.total_pages = edit.totalPages;
            if (edit.totalCount !== undefined) info.total_count = edit.totalCount;
            return envelope;
        case "duplicateUsers": {
            const start = (info.page - 1) * info.per_page;
            envelope.result.users = [...served.slice(Math.max(0, start - (edit.count ?? 1)), start), ...envelope.result.users];
            info.count = envelope.result.users.length;
            return envelope;
        }
        case "resultInfo": {
            const { result_info: _, ...rest } = envelope;
            if (edit.whole === "absent") return rest;
            if (edit.whole === "null") return { ...rest, result_info: null };
            const edited: Record<string, unknown> = { ...info, ...edit.set };
            for (const field of edit.remove ?? []) delete edited[field];
            return { ...rest, result_info: edited };
        }
    }
}

interface BodyReply {
    status: number;
    body: string;
    contentType: string;
}

/** Headers at once, then `bytes` bytes of the body every `intervalMs`; the timer ends with the connection. */
export function sendTrickle(res: ServerResponse, reply: BodyReply, bytes: number, intervalMs: number): void {
    const body = Buffer.from(reply.body);
    res.writeHead(reply.status, { "content-type": reply.contentType, "content-length": body.length });
    res.flushHeaders();
    let offset = 0;
    const timer = setInterval(() => {
        const chunk = body.subarray(offset, offset + bytes);
        offset += chunk.length;
        if (offset < body.length) {
            res.write(chunk);
            return;
        }
        clearInterval(timer);
        res.end(chunk);
    }, intervalMs);
    res.once("close", () => clearInterval(timer));
}

const paddingChunk = Buffer.alloc(64 * 1024, "x");

/**
 * A JSON page with a `padding` string of `bytes` bytes added, streamed with backpressure so that the
 * server never holds it whole; writing stops as soon as the client goes away.
 */
export function sendOversized(res: ServerResponse, reply: BodyReply, bytes: number, chunked: boolean): void {
    const head = Buffer.from(`${reply.body.replace(/}\s*$/, "")},"padding":"`);
    const tail = Buffer.from('"}');
    res.writeHead(reply.status, {
        "content-type": reply.contentType,
        ...(chunked ? {} : { "content-length": head.length + bytes + tail.length }),
    });
    res.write(head);
    let left = bytes;
    const pump = (): void => {
        while (left > 0) {
            if (res.destroyed) return;
            const size = Math.min(left, paddingChunk.length);
            left -= size;
            if (!res.write(size === paddingChunk.length ? paddingChunk : paddingChunk.subarray(0, size))) {
                res.once("drain", pump);
                return;
            }
        }
        if (!res.destroyed) res.end(tail);
    };
    pump();
}
