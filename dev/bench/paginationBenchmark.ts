import { defaultConcurrency } from "../../provider/arguments/defaults";
import { startLocalCloudflareApi } from "../local-api";
import { apiTarget } from "./apiTarget";
import { median } from "./measure";
import { progress } from "./progress";
import type { PaginationWorkerArgs, PaginationWorkerResult } from "./paginationWorker";
import { runWorker } from "./workerProtocol";

/**
 * Benchmark 2: `users` users in pages of the server's default size (20) behind `latencyMs` of
 * server latency. The ideal at concurrency c is one round trip for page 1, then the other pages c at
 * a time: (ceil((pages - 1) / c) + 1) round trips, the round trip measured in the same run.
 */

export interface PaginationBenchmarkOptions {
    readonly users: number;
    readonly latencyMs: number;
    readonly rounds: number;
    readonly warmupRounds: number;
    readonly concurrencies: readonly number[];
}

export interface PaginationRow {
    /** "sequential", or the concurrency of `fetchRiskSummary`. */
    readonly name: string;
    readonly concurrency: number | undefined;
    readonly isDefault: boolean;
    readonly ms: number;
    readonly samples: number[];
    /** Round trips of the ideal schedule, when there is one. */
    readonly idealRoundTrips: number;
    readonly idealMs: number;
    readonly ratioToIdeal: number;
}

export interface PaginationBenchmarkResult {
    readonly users: number;
    readonly pages: number;
    readonly perPage: number;
    readonly latencyMs: number;
    readonly rounds: number;
    readonly warmupRounds: number;
    readonly roundTripMs: number;
    readonly rows: PaginationRow[];
    /** Requests the server received per read, by variant: every page exactly once. */
    readonly requestsPerRead: number;
}

export function idealRoundTrips(pages: number, concurrency: number): number {
    return Math.ceil((pages - 1) / concurrency) + 1;
}

export async function runPaginationBenchmark(options: PaginationBenchmarkOptions): Promise<PaginationBenchmarkResult> {
    const api = await startLocalCloudflareApi({ size: options.users, latencyMs: options.latencyMs, cachePages: true });
    try {
        const perPage = 20;
        const pages = Math.ceil(options.users / perPage);
        progress(`pagination: ${options.users} users in ${pages} pages of ${perPage}, ${options.latencyMs} ms of server latency`);
        const args: PaginationWorkerArgs = {
            target: apiTarget(api),
            expectedUsers: options.users,
            rounds: options.rounds,
            warmupRounds: options.warmupRounds,
            concurrencies: options.concurrencies,
        };
        const { samples } = await runWorker<PaginationWorkerArgs, PaginationWorkerResult>("paginationWorker.js", args);

        // Every read asked for each page once: no page twice, none skipped.
        const readsPerRound = 2 + options.concurrencies.length;
        const expected = (options.rounds + options.warmupRounds) * (1 + readsPerRound * pages);
        if (api.requests.length !== expected)
            throw new Error(`pagination: expected ${expected} requests, the server received ${api.requests.length}`);

        const roundTripMs = median(samples.rtt as number[]);
        const row = (name: string, key: string, concurrency: number | undefined, isDefault: boolean): PaginationRow => {
            const list = samples[key] as number[];
            const ms = median(list);
            const trips = idealRoundTrips(pages, concurrency ?? 1);
            return {
                name,
                concurrency,
                isDefault,
                ms,
                samples: list,
                idealRoundTrips: trips,
                idealMs: trips * roundTripMs,
                ratioToIdeal: ms / (trips * roundTripMs),
            };
        };
        const ours = [
            row(`fetchRiskSummary, concurrency ${defaultConcurrency} (default)`, "default", defaultConcurrency, true),
            ...options.concurrencies.map((c) => row(`fetchRiskSummary, concurrency ${c}`, `c${c}`, c, false)),
        ].sort((a, b) => (a.concurrency ?? 0) - (b.concurrency ?? 0));
        const rows: PaginationRow[] = [row("sequential page loop (undici)", "sequential", 1, false), ...ours];
        return {
            users: options.users,
            pages,
            perPage,
            latencyMs: options.latencyMs,
            rounds: options.rounds,
            warmupRounds: options.warmupRounds,
            roundTripMs,
            rows,
            requestsPerRead: pages,
        };
    } finally {
        await api.stop();
    }
}
