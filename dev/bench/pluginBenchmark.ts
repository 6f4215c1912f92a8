import * as os from "node:os";
import * as path from "node:path";
import { defaultPerPage } from "../../provider/arguments/defaults";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../local-api";
import { ensureYamlLanguageHost } from "../pulumi-cli/yamlLanguageHost";
import { apiTarget } from "./apiTarget";
import { BenchStack, type ConfigValue, type StackRun } from "./benchStack";
import { engineStackConfig, fixturesDir, largeAccount, smallAccount } from "./engineBenchmark";
import { maximum, median, runAlternating } from "./measure";
import type { PluginEncodingArgs, PluginEncodingSample } from "./pluginEncodingWorker";
import { progress } from "./progress";
import { runWorker } from "./workerProtocol";

/**
 * Benchmark 6: the provider plugin (bin/pulumi-resource-cloudflare-risk) from a Pulumi YAML program.
 * `pulumi preview` of dev/bench/fixtures/yaml-risk-summary (one getRiskSummary invoke, its counts exported)
 * against dev/bench/fixtures/yaml-empty (the same project without the invoke), and, in the same rounds, the
 * engine benchmark's TypeScript programs (dev/bench/fixtures/risk-summary against dev/bench/fixtures/baseline)
 * on the same account: what the plugin adds to a YAML preview beside what the dynamic provider adds to
 * a TypeScript one, at 2,000 and at 100,000 users. Each stack is deployed once (`pulumi up`, untimed)
 * before the rounds, so every preview is of a deployed stack, as in the engine benchmark. Then the
 * invoke's encoding at 100,000 users in a worker: `Struct.fromJavaScript` of the plugin's result.
 */

export const pluginVariantNames = ["tsBaseline", "tsWithCall", "yamlEmpty", "yamlWithCall"] as const;
export type PluginVariant = (typeof pluginVariantNames)[number];

export interface PluginBenchmarkOptions {
    readonly smallUsers: number;
    readonly largeUsers: number;
    readonly rounds: number;
    readonly largeRounds: number;
    readonly warmupRounds: number;
    readonly encodingRounds: number;
}

/** One program's kept previews. */
export interface PreviewStats {
    readonly ms: number;
    readonly samples: number[];
    /** Requests to the API per preview (the median; the same in every sample, checked). */
    readonly requests: number;
    /** Peak RSS of the provider process (the dynamic provider, or the plugin): median and largest; 0 when none ran. */
    readonly providerPeakRssBytes: number;
    readonly providerPeakRssMaxBytes: number;
    /** Peak RSS of the program (the Node.js program, or the YAML language host). */
    readonly programPeakRssBytes: number;
    /** In how many kept previews a provider process was seen. */
    readonly providerSeen: number;
}

export interface PluginComparison {
    readonly users: number;
    /** Requests one read of the account takes (pages of the client's default size). */
    readonly pages: number;
    readonly rounds: number;
    readonly rows: Record<PluginVariant, PreviewStats>;
    /** Medians: the TypeScript program with the call less the one without; the YAML program with the invoke less the empty one. */
    readonly dynamicAddedMs: number;
    readonly pluginAddedMs: number;
    /** The counts each program exported after its untimed `pulumi up`: `total` (TypeScript) and `counts.total` (YAML). */
    readonly exportedTotals: { readonly typescript: number; readonly yaml: number };
}

export interface PluginEncodingResult {
    readonly users: number;
    readonly rounds: number;
    readonly readMs: number;
    readonly structMs: number;
    readonly structSamples: number[];
    readonly serializeMs: number;
    readonly bytes: number;
    readonly jsonBytes: number;
    readonly startRssBytes: number;
    readonly peakRssBytes: number;
}

export interface PluginBenchmarkResult {
    readonly small: PluginComparison;
    readonly large: PluginComparison;
    readonly warmupRounds: number;
    readonly encoding: PluginEncodingResult;
    /** The machine's 1-minute load average right before each preview, in run order, and its core count. */
    readonly loadAverages: number[];
    readonly cores: number;
}

const yamlRoles = { program: "pulumi-language-yaml", provider: "pulumi-resource-cloudflare-risk" };

function previewStats(runs: StackRun[]): PreviewStats {
    return {
        ms: median(runs.map((r) => r.ms)),
        samples: runs.map((r) => r.ms),
        requests: median(runs.map((r) => r.requests)),
        providerPeakRssBytes: median(runs.map((r) => r.providerPeakRssBytes)),
        providerPeakRssMaxBytes: maximum(runs.map((r) => r.providerPeakRssBytes)),
        programPeakRssBytes: median(runs.map((r) => r.programPeakRssBytes)),
        providerSeen: runs.filter((r) => r.provider.firstSeenMs !== undefined).length,
    };
}

/** The total a program exported: the TypeScript programs export `total`, the YAML ones `counts`. */
function exportedTotal(outputs: Record<string, unknown>): number {
    if (typeof outputs.total === "number") return outputs.total;
    const counts = outputs.counts as { total?: unknown } | undefined;
    if (typeof counts?.total === "number") return counts.total;
    throw new Error(`no exported total in ${JSON.stringify(Object.keys(outputs))}`);
}

async function comparison(
    api: LocalCloudflareApi,
    stacks: Record<PluginVariant, BenchStack>,
    users: number,
    rounds: number,
    warmupRounds: number,
    loadAverages: number[],
): Promise<PluginComparison> {
    const pages = Math.ceil(users / defaultPerPage);
    progress(`plugin ${users}: one untimed \`pulumi up\` of each stack`);
    for (const variant of pluginVariantNames) await stacks[variant].run("up");
    const exportedTotals = {
        typescript: exportedTotal(await stacks.tsWithCall.outputs()),
        yaml: exportedTotal(await stacks.yamlWithCall.outputs()),
    };
    if (exportedTotals.typescript !== users || exportedTotals.yaml !== users)
        throw new Error(`plugin ${users}: the programs exported ${JSON.stringify(exportedTotals)} users`);

    const samples = await runAlternating(
        pluginVariantNames,
        async (variant) => {
            api.resetRequestLog();
            loadAverages.push(os.loadavg()[0]!);
            const run = await stacks[variant].run("preview", () => api.requests.length);
            // With the call, one read of the account; without it, no request: else the previews measure something else.
            const expected = variant === "tsWithCall" || variant === "yamlWithCall" ? pages : 0;
            if (run.requests !== expected || api.requests.some((r) => r.status !== 200))
                throw new Error(`plugin ${users}: ${variant} made ${run.requests} requests, not ${expected} answered with 200`);
            return run;
        },
        { label: `plugin ${users}`, rounds, warmupRounds },
        (r) =>
            `preview ${(r.ms / 1000).toFixed(2)} s, ${r.requests} requests, provider peak RSS ${(r.providerPeakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    const rows = Object.fromEntries(pluginVariantNames.map((v) => [v, previewStats(samples[v])])) as Record<PluginVariant, PreviewStats>;
    return {
        users,
        pages,
        rounds,
        rows,
        dynamicAddedMs: rows.tsWithCall.ms - rows.tsBaseline.ms,
        pluginAddedMs: rows.yamlWithCall.ms - rows.yamlEmpty.ms,
        exportedTotals,
    };
}

async function encoding(api: LocalCloudflareApi, users: number, rounds: number): Promise<PluginEncodingResult> {
    const args: PluginEncodingArgs = { target: apiTarget(api, largeAccount), expectedUsers: users };
    const list: PluginEncodingSample[] = [];
    for (let round = 0; round < rounds; round++) {
        const s = await runWorker<PluginEncodingArgs, PluginEncodingSample>("pluginEncodingWorker.js", args, { nodeArgs: ["--expose-gc"] });
        progress(
            `plugin encoding ${round + 1}/${rounds}: Struct.fromJavaScript ${s.structMs.toFixed(0)} ms, serializeBinary ${s.serializeMs.toFixed(0)} ms, ${(s.bytes / 2 ** 20).toFixed(1)} MiB`,
        );
        list.push(s);
    }
    const pick = (f: (s: PluginEncodingSample) => number) => median(list.map(f));
    return {
        users,
        rounds,
        readMs: pick((s) => s.readMs),
        structMs: pick((s) => s.structMs),
        structSamples: list.map((s) => s.structMs),
        serializeMs: pick((s) => s.serializeMs),
        bytes: pick((s) => s.bytes),
        jsonBytes: pick((s) => s.jsonBytes),
        startRssBytes: pick((s) => s.startRssBytes),
        peakRssBytes: pick((s) => s.peakRssBytes),
    };
}

export async function runPluginBenchmark(options: PluginBenchmarkOptions): Promise<PluginBenchmarkResult> {
    progress("plugin: setting up the YAML language host (dev/scripts/setup-pulumi-yaml.sh)");
    const yaml = await ensureYamlLanguageHost();
    const api = await startLocalCloudflareApi({
        accounts: { [smallAccount]: { size: options.smallUsers }, [largeAccount]: { size: options.largeUsers } },
        cachePages: true,
    });
    const yamlConfig = (accountId: string): Record<string, ConfigValue> => ({
        accountId: { value: accountId },
        apiToken: { value: api.credentials.apiToken, secret: true },
        baseUrl: { value: api.baseUrl },
    });
    const stacks: BenchStack[] = [];
    const tsStack = async (project: string, accountId: string) => {
        const created = await BenchStack.create(path.join(fixturesDir, project), engineStackConfig(api, accountId));
        stacks.push(created);
        return created;
    };
    const yamlStack = async (project: string, accountId: string) => {
        const created = await BenchStack.create(path.join(fixturesDir, project), yamlConfig(accountId), {
            extraBinDirs: [yaml.binDir],
            roles: yamlRoles,
        });
        stacks.push(created);
        return created;
    };
    const stacksOf = async (accountId: string): Promise<Record<PluginVariant, BenchStack>> => ({
        tsBaseline: await tsStack("baseline", accountId),
        tsWithCall: await tsStack("risk-summary", accountId),
        yamlEmpty: await yamlStack("yaml-empty", accountId),
        yamlWithCall: await yamlStack("yaml-risk-summary", accountId),
    });
    try {
        progress(`plugin: stacks for ${options.smallUsers} and ${options.largeUsers} users`);
        const loadAverages: number[] = [];
        const small = await comparison(
            api,
            await stacksOf(smallAccount),
            options.smallUsers,
            options.rounds,
            options.warmupRounds,
            loadAverages,
        );
        const large = await comparison(
            api,
            await stacksOf(largeAccount),
            options.largeUsers,
            options.largeRounds,
            options.warmupRounds,
            loadAverages,
        );
        progress(`plugin: the invoke's encoding at ${options.largeUsers} users`);
        const encoded = await encoding(api, options.largeUsers, options.encodingRounds);
        return { small, large, warmupRounds: options.warmupRounds, encoding: encoded, loadAverages, cores: os.cpus().length };
    } finally {
        for (const s of stacks) await s.dispose();
        await api.stop();
    }
}
