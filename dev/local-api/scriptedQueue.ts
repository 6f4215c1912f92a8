/**
 * A FIFO of scripted steps (the API's scripted failures, an account's scripted drift), each used by
 * `times` consecutive requests (default 1). Which requests use a step is up to the caller of `take()`.
 */
export class ScriptedQueue<T extends { times?: number }> {
    private readonly queue: { step: T; remaining: number }[] = [];

    /** `schema` (a zod list schema) validates what is pushed: an invalid step throws before any is queued. */
    constructor(private readonly schema: { parse(steps: unknown): T[] }) {}

    push(steps: readonly T[]): void {
        for (const step of this.schema.parse(steps)) {
            this.queue.push({ step, remaining: step.times ?? 1 });
        }
    }

    /** The step for the request at hand, if any, using one use of it. */
    take(): T | undefined {
        const head = this.queue[0];
        if (head === undefined) return undefined;
        head.remaining -= 1;
        if (head.remaining <= 0) this.queue.shift();
        return head.step;
    }

    get pending(): number {
        return this.queue.reduce((sum, entry) => sum + entry.remaining, 0);
    }

    clear(): void {
        this.queue.length = 0;
    }
}
