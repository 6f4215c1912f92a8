/**
 * A tiny seeded PRNG (mulberry32) so the local API's dataset is reproducible from a seed.
 * `Math.random()` cannot be seeded, and the quality of mulberry32 is ample for fake data.
 */
export interface SeededRandom {
    /** Uniform float in [0, 1). */
    next(): number;
    /** Uniform integer in [min, max], both inclusive. */
    int(min: number, max: number): number;
    pick<T>(items: readonly T[]): T;
    /** A version 4, variant 1 UUID built from the generator's bytes (crypto.randomUUID cannot be seeded). */
    uuid(): string;
}

export function seededRandom(seed: number): SeededRandom {
    let state = seed >>> 0;
    const next = (): number => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
    return {
        next,
        int,
        pick: <T>(items: readonly T[]): T => {
            if (items.length === 0) throw new RangeError("pick() needs at least one item");
            return items[int(0, items.length - 1)] as T;
        },
        uuid: (): string => {
            const bytes = Array.from({ length: 16 }, () => int(0, 255));
            bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40; // version 4
            bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
            const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
            return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        },
    };
}
