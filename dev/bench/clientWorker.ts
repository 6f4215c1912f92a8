import type { ApiTarget } from "./apiTarget";
import { type ClientVariant, loadClientVariant } from "./clientVariants";
import { workerMain } from "./workerProtocol";

/**
 * One sample of the client benchmark, in a fresh process (run with `--expose-gc`): loads the
 * variant, reads the account once cold (its peak RSS is taken right after), then once more warm
 * (the timed read; the process high-water mark may only grow, so it is read before).
 */

export interface ClientWorkerArgs {
    readonly variant: ClientVariant;
    readonly target: ApiTarget;
    readonly expectedUsers: number;
}

export interface ClientSample {
    readonly variant: ClientVariant;
    /** The first read of the process, modules already loaded. */
    readonly coldMs: number;
    /** The second read: the one the table compares. */
    readonly warmMs: number;
    /** RSS once the modules are loaded, before any read. */
    readonly loadedRssBytes: number;
    /** The process's peak RSS through the first read (`process.resourceUsage().maxRSS`). */
    readonly peakRssBytes: number;
    /** Heap held by the result of a read: after a full GC, with the result less without it. */
    readonly retainedHeapBytes: number;
}

/** A full GC, after a short pause: a consumed response body lets go of its parsed result only a tick later. */
async function collect(): Promise<void> {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error("run the client worker with --expose-gc");
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    gc();
}

async function sample(args: ClientWorkerArgs): Promise<ClientSample> {
    const read = await loadClientVariant(args.variant);
    const check = (users: number) => {
        if (users !== args.expectedUsers) throw new Error(`${args.variant} read ${users} users, expected ${args.expectedUsers}`);
    };
    await collect();
    const loadedRssBytes = process.memoryUsage().rss;

    // In a function of its own, so that nothing of the first result stays reachable.
    const cold = async () => {
        const start = performance.now();
        const { users } = await read(args.target);
        return { ms: performance.now() - start, users };
    };
    const first = await cold();
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    check(first.users);

    // The warm read, weighed inside a function of its own: once it returns, nothing holds the result
    // (not even an interpreter register of this frame), so the heap after it is the heap without it.
    const weigh = async () => {
        await collect();
        const start = performance.now();
        const result = await read(args.target);
        const ms = performance.now() - start;
        await collect();
        return { ms, users: result.users, heapWith: process.memoryUsage().heapUsed };
    };
    const warm = await weigh();
    check(warm.users);
    await collect();
    const retainedHeapBytes = warm.heapWith - process.memoryUsage().heapUsed;
    const warmMs = warm.ms;
    return { variant: args.variant, coldMs: first.ms, warmMs, loadedRssBytes, peakRssBytes, retainedHeapBytes };
}

workerMain(module, sample);
