import { readFileSync } from "node:fs";
import * as path from "node:path";
import { renderBenchmarkReport } from "../../../../dev/bench/benchmarkReport";
import type { BenchmarkResults } from "../../../../dev/bench/benchmarkResults";
import { compareAmount, compareTime, listing, noiseShare, order } from "../../../../dev/bench/conclusions";
import type { DriftBenchmarkResult, DriftRow } from "../../../../dev/bench/driftBenchmark";
import type { PluginBenchmarkResult, PluginComparison, PreviewStats } from "../../../../dev/bench/pluginBenchmark";
import { evaluateTargets } from "../../../../dev/bench/targets";

/** The measurements docs/benchmarks.md was rendered from; each test changes a copy of them. */
const saved = JSON.parse(readFileSync(path.join(__dirname, "../../../../docs/benchmarks.json"), "utf8")) as BenchmarkResults;

type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
const copy = (): Mutable<BenchmarkResults> => structuredClone(saved) as Mutable<BenchmarkResults>;

/** The page as `--render` writes it, with line breaks as spaces (the prose wraps wherever its figures end). */
function render(r: BenchmarkResults): string {
    return renderBenchmarkReport(r, evaluateTargets(r)).replace(/\s*\n\s*/g, " ");
}

/** Every part is in the text. */
function contains(text: string, ...parts: string[]): void {
    for (const part of parts) expect(text).toContain(part);
}

/** The result column of a target's row (its text starts with `prefix`). */
function verdictOf(r: BenchmarkResults, prefix: string): boolean {
    const check = evaluateTargets(r).find((c) => c.target.startsWith(prefix));
    if (check === undefined) throw new Error(`no target starting with ${prefix}`);
    const row = renderBenchmarkReport(r, evaluateTargets(r))
        .split("\n")
        .find((line) => line.includes(check.target.replace(/\|/g, "\\|")));
    expect(row).toMatch(check.met ? /\| \*\*met\*\* \|$/ : /\| \*\*missed\*\* \|$/);
    return check.met;
}

describe("conclusions", () => {
    it("orders two figures, within noise when they differ by at most noiseShare of the larger", () => {
        expect(order(100, 100 * (1 - noiseShare))).toBe("same");
        expect(order(100, 90)).toBe("more");
        expect(order(90, 100)).toBe("less");
        expect(compareTime(1, 2)).toBe("faster than");
        expect(compareTime(2, 1)).toBe("slower than");
        expect(compareAmount(2, 1)).toBe("higher than");
        expect(compareAmount(1, 1.01)).toBe("within noise of");
        expect(listing(["a", "b", "c"])).toBe("a, b and c");
    });
});

describe("renderBenchmarkReport: conclusions follow the measurements", () => {
    const page = render(saved);

    it("states no figure of an earlier run, nor a fixed amount of noise", () => {
        for (const fixed of [
            "1281 MiB",
            "1526 MiB",
            "15.6 s",
            "about 70 %",
            "76 %",
            "405 ms",
            "2.70×",
            "1.299×",
            "4/3",
            "a few percent",
            "10,000 cases",
        ]) {
            expect(page).not.toContain(fixed);
        }
        expect(page).not.toContain("Brotli at its fastest qualities compressed the same text faster");
        expect(page).not.toContain("The rest is what any dynamic provider costs");
        expect(page).toContain("two medians within 5 % of each other are called *within noise*");
    });

    it("client (§1): the SDK against the floor, ours against the floor, and what keeps ours above its target", () => {
        contains(
            page,
            "Cloudflare's SDK was within noise of the floor (1.00×)",
            "`fetchRiskSummary` was slower than the floor (+211 ms)",
            "Peak RSS: 207 MiB for `fetchRiskSummary`, higher than the floor's 164 MiB and higher than the SDK's 195 MiB",
            "Less those steps `fetchRiskSummary` would take about 169 ms, 0.97× the floor, within 1.5×: what keeps it above",
            "In this run the loop took 39 ms, faster than zod on the whole page (99 ms, 0.39×)",
            "### Client: why `fetchRiskSummary` misses its targets",
        );

        const r = copy();
        const { floor, ours, sdk } = r.client.variants;
        sdk.warmMs = floor.warmMs * 2;
        ours.warmMs = floor.warmMs * 0.9;
        ours.ratioToFloor = 0.9;
        ours.peakRssBytes = floor.peakRssBytes / 2;
        r.client.phases.validate = r.client.phases.validateZod * 2;
        const changed = render(r);
        expect(verdictOf(saved, "client, 100,000 users in one response")).toBe(false);
        expect(verdictOf(r, "client, 100,000 users in one response")).toBe(true);
        expect(verdictOf(r, "client, 100,000 users: `fetchRiskSummary` no slower")).toBe(true);
        contains(
            changed,
            "Cloudflare's SDK was slower than the floor (2.00×)",
            "`fetchRiskSummary` was faster than the floor (−17 ms)",
            "Peak RSS: 82 MiB for `fetchRiskSummary`, lower than the floor's 164 MiB and lower than the SDK's 195 MiB",
            "`fetchRiskSummary` is within 1.5× the floor (0.90×)",
        );
        expect(changed).not.toContain("what keeps it above");
        contains(changed, "slower than zod on the whole page", "### Client: `fetchRiskSummary` against the floor and the SDK");
    });

    it("client (§1): says when the steps timed apart do not account for the gap", () => {
        const r = copy();
        r.client.variants.ours.warmMs = r.client.variants.floor.warmMs * 3;
        r.client.variants.ours.ratioToFloor = 3;
        expect(render(r)).toContain("Even less those steps `fetchRiskSummary` would take about");
    });

    it("engine, 2,000 users (§3): whether the empty dynamic provider alone is over the target, per command", () => {
        contains(
            page,
            "### Engine: why the call adds more than 1.00 s (2,000 users)",
            "For a preview that alone (+1.07 s) is above the 1.00 s target: no change inside this package can meet it",
            "For an update that alone (+999 ms) is within the 1.00 s target: this package's share is what takes the call over it.",
            "undici, which the provider process loads with its first request (50 ms), takes more than the rest together",
        );

        const r = copy();
        const small = r.engine.small;
        for (const command of ["preview", "up"] as const) {
            small.emptyDynamic[command].ms = small.baseline[command].ms + 100;
            small.withCall[command].ms = small.baseline[command].ms + 400;
        }
        r.moduleLoad.rows.find((row) => row.label.includes("`undici`"))!.ms = 1;
        const changed = render(r);
        expect(verdictOf(saved, "engine, 2,000 users: `pulumi preview` ≤")).toBe(false);
        expect(verdictOf(r, "engine, 2,000 users: `pulumi preview` ≤")).toBe(true);
        contains(
            changed,
            "### Engine: what the call adds (2,000 users)",
            "For a preview that alone (+100 ms) is within the 1.00 s target, and so is the call.",
            "For an update that alone (+100 ms) is within the 1.00 s target, and so is the call.",
        );
        expect(changed).not.toContain("no change inside this package can meet it");
        expect(changed).toContain("(1.0 ms), takes less than the rest together");
    });

    it("engine, 100,000 users (§3): which functions the profiles put first, and whose code they are", () => {
        contains(
            page,
            "the functions with the most self time, the garbage collector aside, are `wrapSafe` (866 ms: compiling modules, `@pulumi/pulumi`'s among them, which the baseline program compiles too) and `S.U` (282 ms:",
            "neither is this package's code, and together they take more than this package's own modules (396 ms)",
        );

        const r = copy();
        const provider = r.engine.profiles.provider!;
        provider.topFunctions.find((f) => f.name.startsWith("byEmailThenId"))!.ms = 5000;
        expect(render(r)).toContain("are `byEmailThenId` (5.00 s) and `wrapSafe` (866 ms: compiling modules");
        expect(render(r)).toContain("; `byEmailThenId` is this package's code.");
    });

    it("memory and state (§3): the stored string against objects, and the state against its limit", () => {
        contains(
            page,
            "In isolation that encoding peaks at 393 MiB, lower than the objects' 1588 MiB (0.25×), and takes 1.04 s both ways, faster than the objects' 6.34 s (0.16×)",
            "The checkpoint is 0.380× the users' JSON, within the limit of 1.3×.",
            "With 2,000 users the ratio is 0.433×: the fixed part (the stack, `__provider`, the audit) weighs more against fewer users.",
        );

        const r = copy();
        const objects = r.protobuf.rows.find((row) => row.encoding === "objects")!;
        const gzip = r.protobuf.rows.find((row) => row.encoding === "gzip")!;
        [objects.peakRssBytes, gzip.peakRssBytes] = [gzip.peakRssBytes, objects.peakRssBytes];
        gzip.encodeMs = objects.encodeMs * 2;
        r.engine.stateLarge.ratio = 1.5;
        r.engine.stateSmall.ratio = 1.2;
        const changed = render(r);
        expect(verdictOf(saved, "engine, 100,000 users: state")).toBe(true);
        expect(verdictOf(r, "engine, 100,000 users: state")).toBe(false);
        expect(changed).toContain("In isolation that encoding peaks at 1588 MiB, higher than the objects' 393 MiB (4.04×), and takes");
        expect(changed).toMatch(/both ways, slower than the objects' \S+ s/);
        contains(
            changed,
            "The checkpoint is 1.500× the users' JSON, above the limit of 1.3×.",
            "With 2,000 users the ratio is 1.200×: lower than the larger account's.",
        );
    });

    it("footprint (§4): whether the stored provider holds the module's path", () => {
        expect(page).toContain("None of them holds the path of the installed provider module");
        const r = copy();
        r.footprint.providers[0]!.modulePathBytes = 80;
        const changed = render(r);
        expect(changed).toContain("RiskSummary holds the absolute path of the installed provider module (80 B of 1,876 B)");
        expect(changed).not.toContain("None of them holds");
    });
});

describe("renderBenchmarkReport: the sections measured apart", () => {
    const driftRow = (variant: DriftRow["variant"], ms: number, requests: number, outcome: DriftRow["outcome"]): DriftRow => ({
        variant,
        steps: [],
        ms,
        samples: [ms],
        requests,
        requestSamples: [requests],
        reads: Math.ceil(requests / 100),
        readSamples: [Math.ceil(requests / 100)],
        requestsPerRead: [[100]],
        ratioToQuiet: ms / 1000,
        outcome,
        accountHighRiskUsers: 11,
    });
    const drift = (everyRequest: DriftRow["outcome"], accepted: number): DriftBenchmarkResult => ({
        users: 100_000,
        perPage: 1000,
        pages: 100,
        concurrency: 8,
        readAttempts: 3,
        maxRequestsPerFiveMinutes: 1200,
        rounds: 3,
        warmupRounds: 1,
        changeAfterPages: 50,
        rows: {
            quiet: driftRow("quiet", 1000, 100, { kind: "summary", users: 100_000, highRiskUsers: 10 }),
            oneChange: driftRow("oneChange", 2000, 200, { kind: "summary", users: 100_000, highRiskUsers: accepted }),
            everyRequest: driftRow("everyRequest", 3000, 300, everyRequest),
        },
        loadAverages: [1],
        cores: 2,
    });
    const inconsistent = { kind: "error", name: "InconsistentReadError", code: undefined, message: "" } as const;

    it("drift (§5): what the read that changes every request ended with, and whether the accepted read matches the account", () => {
        const before = render({ ...saved, drift: drift(inconsistent, 11) });
        contains(before, "ended in `InconsistentReadError` after 3 reads", "and nothing returned");
        expect(before).toContain("had 11 at high risk (the same;");
        const after = render({ ...saved, drift: drift({ kind: "summary", users: 100_000, highRiskUsers: 12 }, 12) });
        expect(after).toContain("ended in 100,000 users, 12 at high risk after 3 reads");
        expect(after).not.toContain("nothing returned");
        expect(after).toContain("had 11 at high risk (not the same;");
    });

    it("plugin (§6): the target and whether both programs made the same requests", () => {
        const stats = (ms: number, requests: number): PreviewStats => ({
            ms,
            samples: [ms],
            requests,
            providerPeakRssBytes: 1,
            providerPeakRssMaxBytes: 1,
            programPeakRssBytes: 1,
            providerSeen: 3,
        });
        const comparison = (users: number, yamlWithCall: number, yamlRequests: number): PluginComparison => ({
            users,
            pages: 2,
            rounds: 3,
            rows: {
                tsBaseline: stats(1000, 0),
                tsWithCall: stats(2000, 2),
                yamlEmpty: stats(500, 0),
                yamlWithCall: stats(yamlWithCall, yamlRequests),
            },
            dynamicAddedMs: 1000,
            pluginAddedMs: yamlWithCall - 500,
            exportedTotals: { typescript: users, yaml: users },
        });
        const encoding = {
            users: 100_000,
            rounds: 3,
            readMs: 1,
            structMs: 1,
            structSamples: [1],
            serializeMs: 1,
            bytes: 1,
            jsonBytes: 1,
            startRssBytes: 1,
            peakRssBytes: 1,
        };
        const plugin = (yamlWithCall: number, yamlRequests: number): PluginBenchmarkResult => ({
            small: comparison(2000, yamlWithCall, yamlRequests),
            large: comparison(100_000, yamlWithCall, yamlRequests),
            warmupRounds: 1,
            encoding,
            loadAverages: [1],
            cores: 2,
        });
        const faster = { ...saved, plugin: plugin(800, 2) };
        expect(verdictOf(faster, "plugin, 2,000 users")).toBe(true);
        expect(render(faster)).toContain(
            "the plugin adds no more than the dynamic provider. Both made the same number of requests (2 and 2)",
        );
        const slower = { ...saved, plugin: plugin(2500, 3) };
        expect(verdictOf(slower, "plugin, 2,000 users")).toBe(false);
        expect(render(slower)).toContain(
            "the plugin adds 1.00 s more than the dynamic provider. They made different numbers of requests (3 and 2)",
        );
    });
});
