import { setTimeout as sleep } from "node:timers/promises";
import { RequestSlotTimeoutError } from "../errors/errors";

export interface RequestLimits {
    /** Requests in flight at once, across every account read through this limiter. Default 8. */
    readonly maxConcurrentRequests?: number;
    /** Requests started in any five minutes. Default 1,200: Cloudflare's global API rate limit per user. */
    readonly maxRequestsPerFiveMinutes?: number;
}

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

    /** Runs `send` once a slot is free and the rate allows, or throws `RequestSlotTimeoutError` at `deadline`. */
    async run<T>(deadline: number, send: () => Promise<T>): Promise<T> {
        await this.acquire(deadline);
        try {
            return await send();
        } finally {
            this.release();
        }
    }

    private async acquire(deadline: number): Promise<void> {
        for (;;) {
            const now = Date.now();
            while (this.starts.length > 0 && (this.starts[0] as number) <= now - windowMs) this.starts.shift();
            const rateFreeAt = this.starts.length < this.maxRequestsPerFiveMinutes ? now : (this.starts[0] as number) + windowMs;
            const startAt = Math.max(rateFreeAt, this.pausedUntil);
            if (startAt > now) {
                if (startAt >= deadline) throw new RequestSlotTimeoutError();
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
