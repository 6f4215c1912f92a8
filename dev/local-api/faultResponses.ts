import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireRiskUser } from "../../provider/client/schema";
import { apiErrors, htmlErrorPage, type SummaryEnvelope } from "./cloudflareEnvelope";
import { perPageTooLargeMessage } from "./paging";
import { json, sendReply, type Reply } from "./reply";
import type { RequestLogEntry } from "./requestLog";
import type { ScriptedFailure } from "./scriptedFailures";

/** How the local API answers a request that a scripted failure is for: statuses, bodies, delays, dropped connections. */

/** The request's normal answers, which many failures serve altered, or serve as they are. */
export interface NormalAnswers {
    /** The endpoint's answer, uncached and with no drift step used; `forcePage1` serves page 1 whatever was asked. */
    summary(forcePage1: boolean): Reply;
    /** The answer a request without a scripted failure gets (a cached page, the account's next drift step used). */
    normal(): Reply;
    /** The whole user list of the account the request names, in paging order; only asked once `summary` answered 200. */
    served(): readonly WireRiskUser[];
}

/** Answers (or, for a hang, deliberately does not answer) the request as the scripted failure says. */
export function respondWithFailure(
    failure: ScriptedFailure,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entry: RequestLogEntry,
    answers: NormalAnswers,
): void {
    const send = (reply: Reply): void => sendReply(res, entry, reply);
    switch (failure.kind) {
        case "status":
            return send({
                ...json(failure.status, apiErrors.status(failure.status)),
                headers: failure.retryAfter === undefined ? undefined : { "retry-after": failure.retryAfter },
            });
        case "hang":
            return; // The socket stays open until the client gives up or stop() destroys it.
        case "malformed": {
            const full = answers.summary(false);
            return send({ ...full, body: full.body.slice(0, Math.max(1, Math.floor(full.body.length / 2))) });
        }
        case "html":
            return send({
                status: failure.status ?? 502,
                body: htmlErrorPage(failure.status ?? 502),
                contentType: "text/html; charset=UTF-8",
            });
        case "successFalse":
            return send(json(200, apiErrors.failedToGet()));
        case "resetMidBody": {
            const full = answers.summary(false);
            entry.status = full.status;
            // Content-Length promises the whole body, so the client sees a truncated message, not a short one.
            res.writeHead(full.status, { "content-type": full.contentType, "content-length": Buffer.byteLength(full.body) });
            res.write(full.body.slice(0, Math.floor(full.body.length / 2)), () => req.socket.destroy());
            return;
        }
        case "ignorePage":
            return send(answers.summary(true));
        case "body":
            return send({ status: failure.status, body: failure.body, contentType: failure.contentType });
        case "pass":
            return send(answers.normal());
        case "trickle": {
            const full = answers.summary(false);
            entry.status = full.status;
            return sendTrickle(res, full, failure.bytes ?? 16, failure.intervalMs ?? 100);
        }
        case "oversized": {
            const full = answers.summary(false);
            if (full.status !== 200) return send(full);
            entry.status = full.status;
            return sendOversized(res, full, failure.bytes, failure.chunked ?? false);
        }
        case "refusePerPage": {
            const asked = url.searchParams.get("per_page");
            const max = failure.max ?? 100;
            if (asked === null || (/^\d+$/.test(asked) && Number(asked) <= max)) return send(answers.summary(false));
            return send(json(400, apiErrors.invalidQuery(perPageTooLargeMessage(asked, max))));
        }
        case "unknownLevel":
        case "dropField":
        case "extraFields":
        case "totalPages":
        case "duplicateUsers":
        case "resultInfo": {
            const full = answers.summary(false);
            // Errors (authentication, routing) are served as they are: only a page can be edited.
            if (full.status !== 200) return send(full);
            return send(json(200, editPage(JSON.parse(full.body), failure, answers.served())));
        }
    }
}

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

type BodyReply = Pick<Reply, "status" | "body" | "contentType">;

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
