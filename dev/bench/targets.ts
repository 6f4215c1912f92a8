import type { BenchmarkResults } from "./benchmarkResults";
import type { EngineBenchmarkResult } from "./engineBenchmark";
import type { PluginBenchmarkResult } from "./pluginBenchmark";
import { bytes, count, mib, ms, signedMs, times } from "./format";

/** The targets of docs/benchmarks.md, each checked against the numbers of the same run. */

export interface TargetCheck {
    readonly section: string;
    readonly target: string;
    readonly measured: string;
    readonly met: boolean;
}

export const limits = {
    clientRatioToFloor: 1.5,
    paginationRatioToIdeal: 1.3,
    engineAddedMs: 1000,
    /** What this package adds to a 2,000-user run beyond what any dynamic provider costs. */
    packageShareMs: 200,
    /** What a 100,000-user run may add to the same program without the call. */
    largeAddedMs: 1500,
    providerPeakRssBytes: 512 * 1024 * 1024,
    stateRatio: 1.3,
} as const;

export function evaluateTargets(r: BenchmarkResults): TargetCheck[] {
    const { floor, ours, sdk } = r.client.variants;
    const paging = r.pagination.rows.find((row) => row.isDefault);
    if (paging === undefined) throw new Error("no row for the default concurrency");
    const oneRead = r.footprint.rows.every((row) => row.previewReads === 1 && row.upReads === 1);
    const users = count(r.client.users);
    return [
        {
            section: "1",
            target: `client, ${users} users in one response: \`fetchRiskSummary\` ≤ ${limits.clientRatioToFloor}× the floor (undici + JSON.parse)`,
            measured: `${times(ours.ratioToFloor)} (${ms(ours.warmMs)} against ${ms(floor.warmMs)})`,
            met: ours.ratioToFloor <= limits.clientRatioToFloor,
        },
        {
            section: "1",
            target: `client, ${users} users: \`fetchRiskSummary\` no slower than Cloudflare's SDK`,
            measured: `${ms(ours.warmMs)} against ${ms(sdk.warmMs)} (${times(ours.warmMs / sdk.warmMs)})`,
            met: ours.warmMs <= sdk.warmMs,
        },
        {
            section: "2",
            target: `pagination, ${count(r.pagination.users)} users in ${r.pagination.pages} pages, ${r.pagination.latencyMs} ms latency: default concurrency ≤ ${limits.paginationRatioToIdeal}× the ideal`,
            measured: `${times(paging.ratioToIdeal)} (${ms(paging.ms)} against ${paging.idealRoundTrips} round trips of ${ms(r.pagination.roundTripMs)} = ${ms(paging.idealMs)})`,
            met: paging.ratioToIdeal <= limits.paginationRatioToIdeal,
        },
        ...evaluateEngineTargets(r.engine),
        {
            section: "4",
            target: `footprint: ${r.footprint.rows.map((row) => row.calls).join(", ")} \`getRiskSummary\` calls on one account make one read (${r.footprint.pagesPerRead} requests) per preview and per update`,
            measured:
                r.footprint.rows.map((row) => `${row.calls} → ${row.previewRequests} / ${row.upRequests}`).join("; ") +
                " requests (preview / up)",
            met: oneRead,
        },
        ...(r.plugin === undefined ? [] : evaluatePluginTargets(r.plugin)),
    ];
}

/** The §6 target (also for `--only plugin`): the plugin adds no more to a YAML preview than the dynamic provider to a TypeScript one. */
export function evaluatePluginTargets(p: PluginBenchmarkResult): TargetCheck[] {
    return [p.small, p.large].map((c) => ({
        section: "6",
        target: `plugin, ${count(c.users)} users: \`pulumi preview\`, what the plugin adds to a YAML program ≤ what the dynamic provider adds to a TypeScript program`,
        measured: `${signedMs(c.pluginAddedMs)} against ${signedMs(c.dynamicAddedMs)} (YAML ${ms(c.rows.yamlWithCall.ms)} against ${ms(c.rows.yamlEmpty.ms)}; TypeScript ${ms(c.rows.tsWithCall.ms)} against ${ms(c.rows.tsBaseline.ms)})`,
        met: c.pluginAddedMs <= c.dynamicAddedMs,
    }));
}

/** The §3 targets alone (also for `--only engine`). */
export function evaluateEngineTargets(e: EngineBenchmarkResult): TargetCheck[] {
    const small = e.small;
    const addedPreview = small.withCall.preview.ms - small.baseline.preview.ms;
    const addedUp = small.withCall.up.ms - small.baseline.up.ms;
    const shares = (["preview", "up"] as const).map((command) => ({
        command,
        share: small.withCall[command].ms - small.emptyDynamic[command].ms,
        added: e.large.withCall[command].ms - e.large.baseline[command].ms,
    }));
    const large = e.large.withCall;
    const providerPeak = Math.max(large.preview.providerPeakRssBytes, large.up.providerPeakRssBytes);
    const state = e.stateLarge;
    return [
        {
            section: "3",
            target: `engine, ${count(e.stateSmall.users)} users: \`pulumi preview\` ≤ ${ms(limits.engineAddedMs)} added by the call`,
            measured: `${signedMs(addedPreview)} (${ms(small.withCall.preview.ms)} against ${ms(small.baseline.preview.ms)})`,
            met: addedPreview <= limits.engineAddedMs,
        },
        {
            section: "3",
            target: `engine, ${count(e.stateSmall.users)} users: \`pulumi up\` ≤ ${ms(limits.engineAddedMs)} added by the call`,
            measured: `${signedMs(addedUp)} (${ms(small.withCall.up.ms)} against ${ms(small.baseline.up.ms)})`,
            met: addedUp <= limits.engineAddedMs,
        },
        ...shares.map(({ command, share }) => ({
            section: "3",
            target: `engine, ${count(e.stateSmall.users)} users: \`pulumi ${command}\`, this package's share (the call less an empty dynamic provider) ≤ ${ms(limits.packageShareMs)}`,
            measured: `${signedMs(share)} (${ms(small.withCall[command].ms)} against ${ms(small.emptyDynamic[command].ms)})`,
            met: share <= limits.packageShareMs,
        })),
        ...shares.map(({ command, added }) => ({
            section: "3",
            target: `engine, ${count(state.users)} users: \`pulumi ${command}\` ≤ ${ms(limits.largeAddedMs)} added by the call`,
            measured: `${signedMs(added)} (${ms(e.large.withCall[command].ms)} against ${ms(e.large.baseline[command].ms)})`,
            met: added <= limits.largeAddedMs,
        })),
        {
            section: "3",
            target: `engine, ${count(state.users)} users: dynamic-provider process peak RSS ≤ ${mib(limits.providerPeakRssBytes)}`,
            measured: `${mib(providerPeak)} (median of the worse command; preview ${mib(large.preview.providerPeakRssBytes)}, up ${mib(large.up.providerPeakRssBytes)})`,
            met: providerPeak <= limits.providerPeakRssBytes,
        },
        {
            section: "3",
            target: `engine, ${count(state.users)} users: state ≤ ${limits.stateRatio}× the users' JSON as the API sent them`,
            measured: `${state.ratio.toFixed(3)}× (${bytes(state.checkpointBytes)} against ${bytes(state.rawUsersBytes)})`,
            met: state.ratio <= limits.stateRatio,
        },
    ];
}
