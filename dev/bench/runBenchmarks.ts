import { promises as fs, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ensurePulumiCli } from "../pulumi-cli/pulumiCli";
import { BenchStack } from "./benchStack";
import type { BenchmarkResults, DriftRunResults, PluginRunResults } from "./benchmarkResults";
import { renderBenchmarkReport, renderDriftReport, renderEngineReport, renderPluginReport } from "./benchmarkReport";
import { runClientBenchmark } from "./clientBenchmark";
import { runDriftBenchmark } from "./driftBenchmark";
import { runEngineBenchmark } from "./engineBenchmark";
import { runFootprintBenchmark } from "./footprintBenchmark";
import { describeMachine } from "./machine";
import { runModuleLoad } from "./moduleLoad";
import { runPaginationBenchmark } from "./paginationBenchmark";
import { runPluginBenchmark } from "./pluginBenchmark";
import { progress } from "./progress";
import { runProtobufEncoding } from "./protobufEncoding";
import { type TargetCheck, evaluateEngineTargets, evaluatePluginTargets, evaluateTargets } from "./targets";

/**
 * `npm run bench`: runs every benchmark once, in sequence, and writes docs/benchmarks.md.
 * `--quick` runs fewer rounds (to try the code, not to publish); `--out <file>` writes elsewhere.
 * `--only engine --out <file>` runs the engine benchmark alone (and the module loads its findings cite)
 * and writes §3 with those findings: never to docs/benchmarks.md, which holds the whole page.
 * `--only drift --out <file>` runs the drift benchmark alone and writes §5, and its measurements next to it
 * (`<file>` with `.json`); `--render <results.json> --add-drift <that .json>` adds them to saved results
 * (written back next to the page) and renders the whole page, §5 saying it was measured apart.
 * `--only plugin --out <file>` runs the plugin benchmark alone (§6, the provider plugin from a YAML program
 * against the dynamic provider from TypeScript) and saves its measurements the same way; `--add-plugin`
 * adds them to saved results like `--add-drift`.
 * Every full run also writes its measurements next to the page (docs/benchmarks.json);
 * `--render <results.json>` writes the page again from them, without measuring.
 */

const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** Round counts sized for about ten minutes on 2 cores; `--quick` for a check of the code in a few. */
const plans = {
    full: {
        clientRounds: 7,
        paginationRounds: 7,
        driftRounds: 7,
        engineRounds: 9,
        engineLargeRounds: 3,
        phaseIterations: 5,
        moduleLoadRuns: 5,
        protobufRounds: 3,
        pluginRounds: 7,
        pluginLargeRounds: 3,
        pluginEncodingRounds: 5,
    },
    quick: {
        clientRounds: 2,
        paginationRounds: 2,
        driftRounds: 2,
        engineRounds: 1,
        engineLargeRounds: 1,
        phaseIterations: 2,
        moduleLoadRuns: 2,
        protobufRounds: 1,
        pluginRounds: 2,
        pluginLargeRounds: 1,
        pluginEncodingRounds: 2,
    },
} as const;

/** The installed version: from the package.json above the package's entry point (some packages do not export it). */
function versionOf(name: string, from = repoRoot): string {
    try {
        for (let dir = path.dirname(require.resolve(name, { paths: [from] })); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
            const file = path.join(dir, "package.json");
            try {
                const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
                if (manifest.name === name && manifest.version !== undefined) return manifest.version;
            } catch {
                // No package.json at this level: keep climbing.
            }
        }
    } catch {
        // Not installed.
    }
    return "unknown";
}

type Plan = (typeof plans)[keyof typeof plans];

const runEngine = (plan: Plan) =>
    runEngineBenchmark({
        smallUsers: 2000,
        largeUsers: 100_000,
        rounds: plan.engineRounds,
        largeRounds: plan.engineLargeRounds,
        warmupRounds: 1,
    });

const runPlugin = (plan: Plan) =>
    runPluginBenchmark({
        smallUsers: 2000,
        largeUsers: 100_000,
        rounds: plan.pluginRounds,
        largeRounds: plan.pluginLargeRounds,
        warmupRounds: 1,
        encodingRounds: plan.pluginEncodingRounds,
    });

const runDrift = (plan: Plan) => runDriftBenchmark({ users: 100_000, rounds: plan.driftRounds, warmupRounds: 1 });

/** The measurements saved next to a page: `docs/benchmarks.md` → `docs/benchmarks.json`. */
const resultsFile = (out: string) => out.replace(/(\.md)?$/, ".json");

async function writeResults(out: string, results: unknown): Promise<void> {
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(resultsFile(out), `${JSON.stringify(results, null, 1)}\n`);
}

function moduleLoads(plan: Plan) {
    progress("module load times");
    return runModuleLoad(plan.moduleLoadRuns);
}

async function writeReport(out: string, text: string, checks: TargetCheck[]): Promise<void> {
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, text);
    for (const c of checks) progress(`${c.met ? "met   " : "MISSED"} ${c.target}: ${c.measured}`);
    progress(`wrote ${path.relative(process.cwd(), out) || out}`);
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            quick: { type: "boolean" },
            out: { type: "string" },
            only: { type: "string" },
            render: { type: "string" },
            "add-drift": { type: "string" },
            "add-plugin": { type: "string" },
        },
    });
    const plan = values.quick === true ? plans.quick : plans.full;
    if (values.only !== undefined && !["engine", "drift", "plugin"].includes(values.only))
        throw new Error(`--only takes "engine", "drift" or "plugin", not "${values.only}"`);
    if (values.only !== undefined && values.out === undefined)
        throw new Error("--only writes part of the page: give it --out <file> (docs/benchmarks.md is the whole page)");
    if (values["add-drift"] !== undefined && values.render === undefined)
        throw new Error("--add-drift <drift.json> goes with --render <results.json>: it adds §5 to saved results");
    if (values["add-plugin"] !== undefined && values.render === undefined)
        throw new Error("--add-plugin <plugin.json> goes with --render <results.json>: it adds §6 to saved results");
    const out = path.resolve(values.out ?? path.join(repoRoot, "docs", "benchmarks.md"));
    if (values.render !== undefined) {
        let saved = JSON.parse(await fs.readFile(values.render, "utf8")) as BenchmarkResults;
        if (values["add-drift"] !== undefined) {
            const { drift, ...driftRun } = JSON.parse(await fs.readFile(values["add-drift"], "utf8")) as DriftRunResults;
            if (drift === undefined) throw new Error(`${values["add-drift"]} holds no drift measurements (write it with --only drift)`);
            saved = { ...saved, drift, driftRun };
        }
        if (values["add-plugin"] !== undefined) {
            const { plugin, ...pluginRun } = JSON.parse(await fs.readFile(values["add-plugin"], "utf8")) as PluginRunResults;
            if (plugin === undefined) throw new Error(`${values["add-plugin"]} holds no plugin measurements (write it with --only plugin)`);
            saved = { ...saved, plugin, pluginRun };
        }
        if (values["add-drift"] !== undefined || values["add-plugin"] !== undefined) await writeResults(out, saved);
        const checks = evaluateTargets(saved);
        await writeReport(out, renderBenchmarkReport(saved, checks), checks);
        return;
    }
    const started = performance.now();

    // No Pulumi CLI: the drift benchmark runs the client alone.
    if (values.only === "drift") {
        const drift = await runDrift(plan);
        const versions = { undici: versionOf("undici"), zod: versionOf("zod") };
        const results: DriftRunResults = { machine: describeMachine(), versions, durationMs: performance.now() - started, drift };
        await writeResults(out, results);
        await writeReport(out, renderDriftReport(results), []);
        return;
    }

    progress("setting up the Pulumi CLI (dev/scripts/setup-pulumi.sh)");
    const cli = await ensurePulumiCli();
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }));
    const versions = {
        pulumiCli: cli.version,
        pulumiSdk: versionOf("@pulumi/pulumi"),
        cloudflare: versionOf("cloudflare"),
        undici: versionOf("undici"),
        zod: versionOf("zod"),
        googleProtobuf: versionOf("google-protobuf", pulumiDir),
    };

    if (values.only === "engine") {
        const engine = await runEngine(plan);
        const moduleLoad = await moduleLoads(plan);
        const results = { machine: describeMachine(), versions, durationMs: performance.now() - started, engine, moduleLoad };
        const checks = evaluateEngineTargets(engine);
        await writeReport(out, renderEngineReport(results, checks), checks);
        return;
    }

    if (values.only === "plugin") {
        const plugin = await runPlugin(plan);
        const results: PluginRunResults = { machine: describeMachine(), versions, durationMs: performance.now() - started, plugin };
        const checks = evaluatePluginTargets(plugin);
        await writeResults(out, results);
        await writeReport(out, renderPluginReport(results, checks), checks);
        return;
    }

    const client = await runClientBenchmark({
        users: 100_000,
        rounds: plan.clientRounds,
        warmupRounds: 1,
        phaseIterations: plan.phaseIterations,
    });
    const pagination = await runPaginationBenchmark({
        users: 2000,
        latencyMs: 20,
        rounds: plan.paginationRounds,
        warmupRounds: 1,
        concurrencies: [1, 4, 16],
    });
    const drift = await runDrift(plan);
    const engine = await runEngine(plan);
    const moduleLoad = await moduleLoads(plan);
    const protobuf = await runProtobufEncoding(100_000, plan.protobufRounds);
    const footprint = await runFootprintBenchmark({ users: 2000, calls: [1, 3, 10] });
    const plugin = await runPlugin(plan);

    const results: BenchmarkResults = {
        machine: describeMachine(),
        versions,
        durationMs: performance.now() - started,
        client,
        pagination,
        engine,
        moduleLoad,
        protobuf,
        footprint,
        drift,
        plugin,
    };
    const checks = evaluateTargets(results);
    await writeResults(out, results);
    await writeReport(out, renderBenchmarkReport(results, checks), checks);
}

// Interrupted: the stack files written into dev/bench/fixtures and the temporary backends go too.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
        BenchStack.disposeAllSync();
        process.exit(130);
    });
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
