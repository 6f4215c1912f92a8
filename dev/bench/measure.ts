import { progress } from "./progress";

/**
 * How every benchmark samples: variants alternate within each round (the starting variant rotates
 * from one round to the next), warm-up rounds are run and discarded, and results are medians. Drift
 * of the machine (frequency, caches, other load) then hits every variant alike, and ratios are
 * always taken between numbers of the same run.
 */

export function median(values: readonly number[]): number {
    if (values.length === 0) throw new RangeError("median of no values");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function minimum(values: readonly number[]): number {
    return Math.min(...values);
}

export function maximum(values: readonly number[]): number {
    return Math.max(...values);
}

export function medianOf<S>(samples: readonly S[], pick: (sample: S) => number): number {
    return median(samples.map(pick));
}

export interface AlternatingOptions {
    /** Shown in progress lines. */
    readonly label: string;
    /** Rounds kept. */
    readonly rounds: number;
    /** Rounds run first and discarded (caches, JIT, connection pools, the first deployment). */
    readonly warmupRounds: number;
}

/** The order of round `round`: the variants rotated by the round number. */
export function roundOrder<V>(variants: readonly V[], round: number): V[] {
    return variants.map((_, i) => variants[(i + round) % variants.length] as V);
}

/**
 * Runs every variant once per round, rounds one after another, nothing in parallel. Returns the
 * samples of the kept rounds, by variant, in round order.
 */
export async function runAlternating<V extends string, S>(
    variants: readonly V[],
    run: (variant: V, round: number) => Promise<S>,
    options: AlternatingOptions,
    describe: (sample: S) => string = () => "",
): Promise<Record<V, S[]>> {
    const samples = Object.fromEntries(variants.map((v) => [v, [] as S[]])) as Record<V, S[]>;
    const total = options.warmupRounds + options.rounds;
    for (let round = 0; round < total; round++) {
        const warmup = round < options.warmupRounds;
        const name = warmup
            ? `warm-up ${round + 1}/${options.warmupRounds}`
            : `round ${round - options.warmupRounds + 1}/${options.rounds}`;
        for (const variant of roundOrder(variants, round)) {
            const sample = await run(variant, round);
            progress(`${options.label} ${name}: ${variant} ${describe(sample)}`);
            if (!warmup) samples[variant].push(sample);
        }
    }
    return samples;
}
