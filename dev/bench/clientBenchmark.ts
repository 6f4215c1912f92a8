import { request } from "undici";
import { defaultPerPage } from "../../provider/arguments/defaults";
import { startLocalCloudflareApi } from "../local-api";
import { apiTarget, bearer, summaryUrl } from "./apiTarget";
import type { ClientPhases, ClientPhasesArgs } from "./clientPhasesWorker";
import { type ClientVariant, clientVariantNames } from "./clientVariants";
import type { ClientSample, ClientWorkerArgs } from "./clientWorker";
import { type ProfileSummary, profileWorker } from "./cpuProfile";
import { median, medianOf, runAlternating } from "./measure";
import { progress } from "./progress";
import { runWorker } from "./workerProtocol";

/**
 * Benchmark 1: one account of `users` users in a single response from the embedded API on
 * loopback, read by the floor (undici + JSON.parse), by `fetchRiskSummary` and by Cloudflare's
 * SDK. Every sample is a fresh worker process; variants alternate. The server answers every
 * request with the same cached bytes, so that no sample pays for encoding 100,000 users.
 */

export interface ClientBenchmarkOptions {
    readonly users: number;
    readonly rounds: number;
    readonly warmupRounds: number;
    /** Passes of the phase breakdown (after one discarded). */
    readonly phaseIterations: number;
}

export interface ClientVariantResult {
    readonly variant: ClientVariant;
    /** Median of the warm (second) read of each worker. */
    readonly warmMs: number;
    readonly warmSamples: number[];
    /** Median of the cold (first) read of each worker. */
    readonly coldMs: number;
    /** Median warm time over the floor's median warm time. */
    readonly ratioToFloor: number;
    readonly peakRssBytes: number;
    readonly loadedRssBytes: number;
    readonly retainedHeapBytes: number;
}

export interface ClientBenchmarkResult {
    readonly users: number;
    readonly responseBytes: number;
    readonly rounds: number;
    readonly warmupRounds: number;
    readonly variants: Record<ClientVariant, ClientVariantResult>;
    readonly phases: ClientPhases;
    readonly phaseIterations: number;
    readonly profile: ProfileSummary;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function runClientBenchmark(options: ClientBenchmarkOptions): Promise<ClientBenchmarkResult> {
    const { users } = options;
    // One page holds every user whatever `per_page` a client sends (Cloudflare's SDK sends none, ours its default).
    const api = await startLocalCloudflareApi({
        size: users,
        defaultPerPage: users,
        maxPerPage: users,
        ignorePerPage: true,
        cachePages: true,
    });
    try {
        const target = apiTarget(api);
        // The first request encodes the page into the cache; it also tells the size of what is sent.
        const primed = await request(summaryUrl(target), { headers: bearer(target) });
        const responseBytes = (await primed.body.arrayBuffer()).byteLength;
        api.resetRequestLog();
        progress(`client: ${users} users, one response of ${mb(responseBytes)}`);

        const samples = await runAlternating(
            clientVariantNames,
            (variant) =>
                runWorker<ClientWorkerArgs, ClientSample>(
                    "clientWorker.js",
                    { variant, target, expectedUsers: users },
                    { nodeArgs: ["--expose-gc"] },
                ),
            { label: "client", rounds: options.rounds, warmupRounds: options.warmupRounds },
            (s) => `${s.warmMs.toFixed(0)} ms (cold ${s.coldMs.toFixed(0)} ms), peak RSS ${mb(s.peakRssBytes)}`,
        );
        // Every variant read the account in one response: no query (the floor, the SDK), or page 1 of its default size (ours).
        const sent = api.requests;
        const workers = (options.rounds + options.warmupRounds) * clientVariantNames.length;
        const onePage = (query: Record<string, string>) =>
            Object.keys(query).length === 0 ||
            (query.page === "1" && query.per_page === String(defaultPerPage) && Object.keys(query).length === 2);
        if (sent.length !== 2 * workers || sent.some((r) => r.status !== 200 || !onePage(r.query))) {
            throw new Error(`client: expected ${2 * workers} requests of the whole account in one page, got ${sent.length}`);
        }

        progress("client: phase breakdown of fetchRiskSummary");
        const phases = await runWorker<ClientPhasesArgs, ClientPhases>("clientPhasesWorker.js", {
            target,
            expectedUsers: users,
            warmups: 1,
            iterations: options.phaseIterations,
        });
        progress("client: CPU profile of fetchRiskSummary (node --cpu-prof)");
        const profile = await profileWorker<ClientWorkerArgs>("clientWorker.js", { variant: "ours", target, expectedUsers: users }, [
            "--expose-gc",
        ]);

        const floorMs = medianOf(samples.floor, (s) => s.warmMs);
        const variants = Object.fromEntries(
            clientVariantNames.map((variant) => {
                const list = samples[variant];
                const warmMs = medianOf(list, (s) => s.warmMs);
                const result: ClientVariantResult = {
                    variant,
                    warmMs,
                    warmSamples: list.map((s) => s.warmMs),
                    coldMs: medianOf(list, (s) => s.coldMs),
                    ratioToFloor: warmMs / floorMs,
                    peakRssBytes: median(list.map((s) => s.peakRssBytes)),
                    loadedRssBytes: median(list.map((s) => s.loadedRssBytes)),
                    retainedHeapBytes: median(list.map((s) => s.retainedHeapBytes)),
                };
                return [variant, result];
            }),
        ) as Record<ClientVariant, ClientVariantResult>;
        return {
            users,
            responseBytes,
            rounds: options.rounds,
            warmupRounds: options.warmupRounds,
            variants,
            phases,
            phaseIterations: options.phaseIterations,
            profile,
        };
    } finally {
        await api.stop();
    }
}
