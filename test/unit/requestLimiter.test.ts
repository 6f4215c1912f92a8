import { setTimeout as sleep } from "node:timers/promises";
import { RequestSlotTimeoutError } from "../../errors/errors";
import { RequestLimiter, setSharedRequestLimits, sharedRequestLimiter } from "../../client/limiter";

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
