import { z } from "zod";
import { riskUserSchema } from "../../provider/client/schema";
import { ScriptedQueue } from "./scriptedQueue";

/**
 * Failures a test can script for the next API request(s), one per way a real Cloudflare call
 * (or a proxy in front of it) can go wrong. The schema doubles as validation of
 * `POST /__control/fail` bodies. Every kind takes `times` (default 1): how many consecutive
 * requests it applies to.
 */

const times = z.number().int().min(1).optional();
/** A user's position in the served page (default 0); clamped to the last user, ignored on an empty page. */
const index = z.number().int().min(0).optional();

export const scriptedFailureSchema = z.discriminatedUnion("kind", [
    /** An error status with a Cloudflare error envelope; `retryAfter` becomes the Retry-After header. */
    z.object({ kind: z.literal("status"), status: z.number().int().min(400).max(599), retryAfter: z.string().optional(), times }),
    /** Accepts the request and never answers (until `stop()`), to exercise client timeouts. */
    z.object({ kind: z.literal("hang"), times }),
    /** 200 with `application/json` but a truncated body. */
    z.object({ kind: z.literal("malformed"), times }),
    /** An HTML error page (text/html), as a proxy or Cloudflare's edge would send; status default 502. */
    z.object({ kind: z.literal("html"), status: z.number().int().min(200).max(599).optional(), times }),
    /** 200 whose envelope says `success: false`. */
    z.object({ kind: z.literal("successFalse"), times }),
    /** Headers and part of the body, then the socket is destroyed. */
    z.object({ kind: z.literal("resetMidBody"), times }),
    /** Answers page 1 whatever page was asked, to exercise clients that guard against paging loops. */
    z.object({ kind: z.literal("ignorePage"), times }),
    /** A verbatim response. */
    z.object({ kind: z.literal("body"), status: z.number().int().min(100).max(599), body: z.string(), contentType: z.string(), times }),
    /** The normal answer: a placeholder, so that the failures queued after it reach later requests. */
    z.object({ kind: z.literal("pass"), times }),
    /**
     * The normal answer, its headers (with the full Content-Length) at once, then `bytes` bytes of the
     * body (default 16) every `intervalMs` (default 100): a body timeout between chunks never fires,
     * only an overall deadline ends it.
     */
    z.object({
        kind: z.literal("trickle"),
        bytes: z.number().int().min(1).max(65_536).optional(),
        intervalMs: z.number().int().min(1).max(60_000).optional(),
        times,
    }),
    /** The normal page with one user's `max_risk_level` set outside the documented enum (default "critical"). */
    z.object({ kind: z.literal("unknownLevel"), level: z.string().optional(), index, times }),
    /** The normal page with `field` removed from one user. */
    z.object({ kind: z.literal("dropField"), field: riskUserSchema.keyof(), index, times }),
    /**
     * The normal page with undocumented fields added to the envelope, `result`, `result_info` and every
     * user, as a newer API version could send; a tolerant client returns the same data.
     */
    z.object({ kind: z.literal("extraFields"), times }),
    /**
     * The normal page whose `result_info.total_pages` (and `total_count`, if given) says something else:
     * a total that grows or shrinks while a client pages.
     */
    z.object({ kind: z.literal("totalPages"), totalPages: z.number().int().min(0), totalCount: z.number().int().min(0).optional(), times }),
    /** The normal page, preceded by the `count` users of the pages before it (default 1): users listed on two pages. */
    z.object({ kind: z.literal("duplicateUsers"), count: z.number().int().min(1).max(1000).optional(), times }),
    /**
     * A 400 whose error names `per_page` when the request asks for more than `max` (default 100) per page,
     * as a server that refuses rather than clamps; the normal answer when it asks for no more, or sends none.
     */
    z.object({ kind: z.literal("refusePerPage"), max: z.number().int().min(1).optional(), times }),
    /**
     * The normal page with its `result_info` changed as a server might fill it: `set` merges fields (any
     * JSON value), `remove` deletes fields, `whole` sends none (`"absent"`) or `null` instead.
     */
    z.object({
        kind: z.literal("resultInfo"),
        set: z.record(z.string(), z.unknown()).optional(),
        remove: z.array(z.string()).optional(),
        whole: z.enum(["absent", "null"]).optional(),
        times,
    }),
    /**
     * The normal page with a `padding` string of `bytes` bytes, streamed in 64 KiB chunks: a response far
     * larger than any page. `chunked: true` sends no Content-Length, so only the bytes read tell the size.
     */
    z.object({
        kind: z.literal("oversized"),
        bytes: z
            .number()
            .int()
            .min(1)
            .max(2 ** 31),
        chunked: z.boolean().optional(),
        times,
    }),
]);
export type ScriptedFailure = z.infer<typeof scriptedFailureSchema>;
export const scriptedFailureListSchema = z.array(scriptedFailureSchema);

/** FIFO of scripted failures; each entry is consumed by `times` requests, taken as each API request arrives. */
export class ScriptedFailureQueue extends ScriptedQueue<ScriptedFailure> {
    constructor() {
        super(scriptedFailureListSchema);
    }
}
