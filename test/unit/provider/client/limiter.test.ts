import { setTimeout as sleep } from "node:timers/promises";
import { RequestSlotTimeoutError } from "../../../../provider/client/errors";
import { RequestLimiter, setSharedRequestLimits, sharedRequestLimiter } from "../../../../provider/client/limiter";

const farDeadline = () => Date.now() + 10_000;

describe("RequestLimiter", () => {
    it("never has more requests in flight than its limit, and uses all of it", async () => {
        const limiter = new RequestLimiter({ maxConcurrentRequests: 3 });
        let inFlight = 0;
        let peak = 0;
        const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
                limiter.run(farDeadline(), async () => {
                    inFlight++;
                    peak = Math.max(peak, inFlight);
                    await sleep(5);
                    inFlight--;
                    return i;
                }),
            ),
        );
        expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(peak).toBe(3);
        expect(limiter.peakInFlight).toBe(3);
    });

    it("frees the slot of a request that failed", async () => {
        const limiter = new RequestLimiter({ maxConcurrentRequests: 1 });
        await expect(limiter.run(farDeadline(), () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
        await expect(limiter.run(farDeadline(), () => Promise.resolve("next"))).resolves.toBe("next");
    });

    it("stops at the rate limit: a request that would pass its deadline waiting fails at once", async () => {
        const limiter = new RequestLimiter({ maxRequestsPerFiveMinutes: 2 });
        await limiter.run(farDeadline(), () => Promise.resolve());
        await limiter.run(farDeadline(), () => Promise.resolve());
        const started = Date.now();
        await expect(limiter.run(Date.now() + 60_000, () => Promise.resolve())).rejects.toBeInstanceOf(RequestSlotTimeoutError);
        expect(Date.now() - started).toBeLessThan(1_000);
    });

    it("holds every request until a 429's Retry-After has passed", async () => {
        const limiter = new RequestLimiter();
        limiter.pauseUntil(Date.now() + 300);
        const started = Date.now();
        await limiter.run(farDeadline(), () => Promise.resolve());
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
        limiter.pauseUntil(Date.now() + 60_000);
        await expect(limiter.run(Date.now() + 1_000, () => Promise.resolve())).rejects.toBeInstanceOf(RequestSlotTimeoutError);
    });

    it("times out a request waiting for a slot at its deadline, and lets the next one through", async () => {
        const limiter = new RequestLimiter({ maxConcurrentRequests: 1 });
        let release!: () => void;
        const holding = limiter.run(farDeadline(), () => new Promise<void>((resolve) => (release = resolve)));
        await expect(limiter.run(Date.now() + 50, () => Promise.resolve())).rejects.toBeInstanceOf(RequestSlotTimeoutError);
        const waiting = limiter.run(farDeadline(), () => Promise.resolve("after"));
        release();
        await holding;
        await expect(waiting).resolves.toBe("after");
    });

    it("is shared by default and replaced by setSharedRequestLimits", () => {
        const before = sharedRequestLimiter();
        expect(before.maxConcurrentRequests).toBe(8);
        expect(before.maxRequestsPerFiveMinutes).toBe(1200);
        const after = setSharedRequestLimits({ maxConcurrentRequests: 2 });
        expect(sharedRequestLimiter()).toBe(after);
        expect(after.maxConcurrentRequests).toBe(2);
        setSharedRequestLimits({});
    });
});

describe("RequestLimiter.earliestStart and startsBefore", () => {
    const window = 5 * 60 * 1000;

    it("lets the limit start at once, then one window per limit's worth of requests", () => {
        const limiter = new RequestLimiter({ maxRequestsPerFiveMinutes: 3 });
        const now = Date.now();
        expect([1, 2, 3, 4, 6, 7, 10].map((n) => limiter.earliestStart(n, now) - now)).toEqual([
            0,
            0,
            0,
            window,
            window,
            2 * window,
            3 * window,
        ]);
        expect(limiter.startsBefore(now + 1, 100, now)).toBe(3);
        expect(limiter.startsBefore(now + window + 1, 100, now)).toBe(6);
        expect(limiter.startsBefore(now + window + 1, 4, now)).toBe(4);
        expect(limiter.startsBefore(now, 100, now)).toBe(0);
    });

    it("counts the requests already started in the window, each freeing its slot a window after it started", async () => {
        const limiter = new RequestLimiter({ maxRequestsPerFiveMinutes: 3 });
        const before = Date.now();
        await limiter.run(farDeadline(), () => Promise.resolve());
        await limiter.run(farDeadline(), () => Promise.resolve());
        const after = Date.now();
        expect(limiter.earliestStart(1, after)).toBe(after);
        // The second waits for the first start to leave the window, the third for the second.
        for (const n of [2, 3]) {
            expect(limiter.earliestStart(n, after)).toBeGreaterThanOrEqual(before + window);
            expect(limiter.earliestStart(n, after)).toBeLessThanOrEqual(after + window);
        }
        expect(limiter.earliestStart(4, after)).toBe(after + window);
        expect(limiter.startsBefore(after + 1, 10, after)).toBe(1);
    });

    it("starts nothing before the end of a pause", () => {
        const limiter = new RequestLimiter({ maxRequestsPerFiveMinutes: 3 });
        const now = Date.now();
        limiter.pauseUntil(now + 10_000);
        expect(limiter.earliestStart(1, now)).toBe(now + 10_000);
        expect(limiter.earliestStart(4, now)).toBe(now + 10_000 + window);
        expect(limiter.startsBefore(now + 10_000, 5, now)).toBe(0);
        expect(limiter.startsBefore(now + 10_001, 5, now)).toBe(3);
    });
});
