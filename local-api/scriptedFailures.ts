import { z } from "zod";

/**
 * Failures a test can script for the next API request(s), one per way a real Cloudflare call
 * (or a proxy in front of it) can go wrong. The schema doubles as validation of
 * `POST /__control/fail` bodies. Every kind takes `times` (default 1): how many consecutive
 * requests it applies to.
 */

const times = z.number().int().min(1).optional();

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
]);
export type ScriptedFailure = z.infer<typeof scriptedFailureSchema>;
export const scriptedFailureListSchema = z.array(scriptedFailureSchema);

/** FIFO of scripted failures; each entry is consumed by `times` requests. */
export class ScriptedFailureQueue {
    private readonly queue: { failure: ScriptedFailure; remaining: number }[] = [];

    push(failures: readonly ScriptedFailure[]): void {
        for (const failure of scriptedFailureListSchema.parse(failures)) {
            this.queue.push({ failure, remaining: failure.times ?? 1 });
        }
    }

    /** The failure for the request being handled, if any, consuming one use of it. */
    take(): ScriptedFailure | undefined {
        const head = this.queue[0];
        if (head === undefined) return undefined;
        head.remaining -= 1;
        if (head.remaining <= 0) this.queue.shift();
        return head.failure;
    }

    get pending(): number {
        return this.queue.reduce((sum, entry) => sum + entry.remaining, 0);
    }

    clear(): void {
        this.queue.length = 0;
    }
}
