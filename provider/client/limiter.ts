import { setTimeout as sleep } from "node:timers/promises";
import { RequestSlotTimeoutError } from "./errors";

export interface RequestLimits {
    /** Requests in flight at once, across every account read through this limiter. Default 8. */
    readonly maxConcurrentRequests?: number;
    /** Requests started in any five minutes. Default 1,200: Cloudflare's global API rate limit per user. */
    readonly maxRequestsPerFiveMinutes?: number;
}

/** Why a request waits before it is sent: a server's `Retry-After`, backoff before a retry, or the rate limit. */
export type RequestWaitCause = "Retry-After" | "backoff" | "rate limit";

export const defaultMaxConcurrentRequests = 8;
export const defaultMaxRequestsPerFiveMinutes = 1200;
const windowMs = 5 * 60 * 1000;

/**
 * Bounds what one process sends to the API, whatever the number of accounts and resources: requests
 * in flight, requests per five minutes, and a pause for everyone after a 429 with `Retry-After`.
 * Every RiskSummary of a deployment shares the dynamic-provider process, hence one limiter.
 */
export class RequestLimiter {
    readonly maxConcurrentRequests: number;
    readonly maxRequestsPerFiveMinutes: number;
    private inFlight = 0;
    private peak = 0;
    private readonly starts: number[] = [];
    private pausedUntil = 0;
    private readonly waiters: (() => void)[] = [];

    constructor(limits: RequestLimits = {}) {
        this.maxConcurrentRequests = limits.maxConcurrentRequests ?? defaultMaxConcurrentRequests;
        this.maxRequestsPerFiveMinutes = limits.maxRequestsPerFiveMinutes ?? defaultMaxRequestsPerFiveMinutes;
    }

    /** The most requests that were in flight at once. */
    get peakInFlight(): number {
        return this.peak;
    }

    /** After a 429 with `Retry-After`: no request of this process starts before then. */
    pauseUntil(epochMs: number): void {
        this.pausedUntil = Math.max(this.pausedUntil, epochMs);
    }

    /**
     * When the `count`-th of `count` more requests could start at the earliest, under the rate limit and
     * any pause, if each started as soon as allowed. Requests in flight and other reads' later requests
     * are not counted, so it is a lower bound: a time past a deadline means the deadline cannot be met.
     */
    earliestStart(count: number, now = Date.now()): number {
        const live = this.starts.filter((start) => start > now - windowMs);
        const max = this.maxRequestsPerFiveMinutes;
        const first = Math.max(now, this.pausedUntil);
        // The k-th new start waits for the start `max` places before it (in the window's history, then
        // among the new ones) to leave the window; so it is the (k mod max)-th one, plus whole windows.
        const k = Math.max(0, count - 1);
        const slot = k % max;
        const before = live.length - max + slot;
        const base = before < 0 ? first : Math.max(first, (live[before] as number) + windowMs);
        return base + Math.floor(k / max) * windowMs;
    }

    /** How many of `count` more requests could start before `deadline` (see `earliestStart`). */
    startsBefore(deadline: number, count: number, now = Date.now()): number {
        let low = 0;
        let high = count;
        // earliestStart grows with its count: the largest n with earliestStart(n) < deadline.
        while (low < high) {
            const mid = Math.ceil((low + high) / 2);
            if (this.earliestStart(mid, now) < deadline) low = mid;
            else high = mid - 1;
        }
        return low;
    }

    /**
     * Runs `send` once a slot is free and the rate allows, or throws `RequestSlotTimeoutError` at `deadline`;
     * `onWait` hears of each wait for the rate limit or a pause (not for a slot of `maxConcurrentRequests`).
     */
    async run<T>(deadline: number, send: () => Promise<T>, onWait?: (waitMs: number, cause: RequestWaitCause) => void): Promise<T> {
        await this.acquire(deadline, onWait);
        try {
            return await send();
        } finally {
            this.release();
        }
    }

    private async acquire(deadline: number, onWait?: (waitMs: number, cause: RequestWaitCause) => void): Promise<void> {
        for (;;) {
            const now = Date.now();
            while (this.starts.length > 0 && (this.starts[0] as number) <= now - windowMs) this.starts.shift();
            const rateFreeAt = this.starts.length < this.maxRequestsPerFiveMinutes ? now : (this.starts[0] as number) + windowMs;
            const startAt = Math.max(rateFreeAt, this.pausedUntil);
            if (startAt > now) {
                if (startAt >= deadline) throw new RequestSlotTimeoutError();
                onWait?.(startAt - now, this.pausedUntil >= rateFreeAt ? "Retry-After" : "rate limit");
                await sleep(startAt - now);
                continue;
            }
            if (this.inFlight < this.maxConcurrentRequests) {
                this.inFlight++;
                this.peak = Math.max(this.peak, this.inFlight);
                this.starts.push(now);
                return;
            }
            await this.nextRelease(deadline);
        }
    }

    private nextRelease(deadline: number): Promise<void> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => {
                    const index = this.waiters.indexOf(wake);
                    if (index >= 0) this.waiters.splice(index, 1);
                    reject(new RequestSlotTimeoutError());
                },
                Math.max(0, deadline - Date.now()),
            );
            const wake = () => {
                clearTimeout(timer);
                resolve();
            };
            this.waiters.push(wake);
        });
    }

    private release(): void {
        this.inFlight--;
        this.waiters.shift()?.();
    }
}

/** Shared by `fetchRiskSummary` calls and, in the dynamic-provider process, by every RiskSummary. */
let shared = new RequestLimiter();

export function sharedRequestLimiter(): RequestLimiter {
    return shared;
}

/** Replaces the shared limiter (the provider does so from stack config); reads already waiting keep theirs. */
export function setSharedRequestLimits(limits: RequestLimits): RequestLimiter {
    shared = new RequestLimiter(limits);
    return shared;
}
