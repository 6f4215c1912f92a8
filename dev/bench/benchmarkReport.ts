import type { BenchmarkResults, DriftRunResults, PluginRunResults, RunInfo } from "./benchmarkResults";
import { type ClientPhase, clientPhaseLabels, clientPhaseNames } from "./clientPhasesWorker";
import type { DriftBenchmarkResult, DriftRow } from "./driftBenchmark";
import type { FootprintResult } from "./footprintBenchmark";
import type { CommandStats, EngineProfiles } from "./engineBenchmark";
import { bytes, count, mib, ms, percent, signedMs, table, times } from "./format";
import type { ProfileSummary } from "./cpuProfile";
import type { ScriptedDrift } from "../local-api";
import type { MachineInfo } from "./machine";
import { median } from "./measure";
import type { PluginBenchmarkResult, PluginComparison, PluginVariant, PreviewStats } from "./pluginBenchmark";
import { type TargetCheck, limits } from "./targets";
import { againstLimit, compareAmount, compareTime, listing, noiseNote, order, shareOf } from "./conclusions";
import { defaultMaxRequestsPerFiveMinutes } from "../../provider/client/limiter";
import { pollIntervalMs } from "./processWatch";

/** docs/benchmarks.md: the machine, the targets with met/missed, one section per benchmark, findings. */

const verdict = (met: boolean) => (met ? "**met**" : "**missed**");

const software: readonly (readonly [label: string, key: string])[] = [
    ["Pulumi CLI", "pulumiCli"],
    ["@pulumi/pulumi", "pulumiSdk"],
    ["cloudflare (Cloudflare's TypeScript SDK)", "cloudflare"],
    ["undici", "undici"],
    ["zod", "zod"],
    ["google-protobuf", "googleProtobuf"],
];

/** The software a run recorded (a run of one benchmark records only what it loads). */
function softwareLine(versions: Record<string, string>): string {
    return software
        .filter(([, key]) => versions[key] !== undefined)
        .map(([label, key]) => `${label} ${versions[key]}`)
        .join(", ");
}

function machineLine(m: MachineInfo): string {
    return `${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM, ${m.os}, Node.js ${m.node}`;
}

/**
 * How the server answers: from encoded pages it keeps (the page, and the engine-only page), with §5 as
 * the exception when the page has it, or rendering every page (the drift-only page).
 */
type Serving = "cached" | "cachedButDrift" | "rendered";

/** `largest`: the most users a server of this run answered with from its kept pages (said in the header). */
function header(r: RunInfo, serving: Serving, apart: readonly string[] = [], largest?: number): string {
    const m = r.machine;
    const cache =
        serving === "rendered"
            ? [
                  "same run. Measured clients run in child processes; the server renders every page it serves (see §5).",
                  "No test asserts on a timing.",
              ]
            : [
                  "same run. Measured clients run in child processes; the server answers from encoded pages it keeps",
                  `(\`cachePages\`), so that no sample pays for encoding ${largest === undefined ? "the users" : `${count(largest)} users`} on the server${serving === "cachedButDrift" ? " (but in §5, where the account changes under the reads)" : ""}. No test asserts on a timing.`,
              ];
    return [
        "# Benchmarks",
        "",
        `Measured by \`npm run bench\` (\`dev/bench/runBenchmarks.ts\`) on ${m.date}, in one run of ${(r.durationMs / 60_000).toFixed(1)} minutes.${apartNote(apart)}`,
        "",
        `**Machine:** ${machineLine(m)}.`,
        `**Software:** ${softwareLine(r.versions)}.`,
        "",
        "Every request goes to the embedded Cloudflare-compatible API (`dev/local-api/`) on 127.0.0.1, never to Cloudflare.",
        "Variants alternate within each round, the first one rotating from round to round; warm-up rounds run first and",
        "are discarded; every figure is the median of the kept rounds, and every ratio is taken between medians of this",
        ...cache,
        "Numbers move from one run to the next: compare runs made on the same, otherwise quiet, machine.",
        noiseNote,
    ].join("\n");
}

function targetsSection(checks: TargetCheck[]): string {
    return [
        "## Targets",
        "",
        table(
            ["§", "target", "measured", "result"],
            checks.map((c) => [c.section, c.target, c.measured, verdict(c.met)]),
        ),
    ].join("\n");
}

function clientSection(r: BenchmarkResults): string {
    const c = r.client;
    const names: Record<string, string> = {
        floor: "floor: undici `request` + `body.json()`",
        ours: "ours: `fetchRiskSummary`",
        sdk: "Cloudflare's SDK: `zeroTrust.riskScoring.summary.get`",
    };
    const rows = Object.values(c.variants).map((v) => [
        names[v.variant] ?? v.variant,
        ms(v.warmMs),
        `${ms(Math.min(...v.warmSamples))} – ${ms(Math.max(...v.warmSamples))}`,
        times(v.ratioToFloor),
        ms(v.coldMs),
        mib(v.peakRssBytes),
        mib(v.loadedRssBytes),
        mib(v.retainedHeapBytes),
    ]);
    return [
        `## 1. Client: ${count(c.users)} users in one response`,
        "",
        `One account of ${count(c.users)} users, served as one response of ${mib(c.responseBytes)} over loopback: the embedded API runs with`,
        `\`defaultPerPage\` and \`maxPerPage\` at ${count(c.users)}, so that the same request without \`per_page\` (the one Cloudflare's SDK sends)`,
        "returns everyone; it also ignores `per_page`, as some servers do, so that ours, which asks for its default page size and follows",
        "`result_info.per_page`, reads the same single response (each variant's requests are checked in the server's log).",
        "",
        "- **floor**: undici's `request`, `body.json()`; nothing checked, nothing mapped.",
        "- **ours**: `fetchRiskSummary({ accountId, apiToken, baseUrl, limiter: new RequestLimiter() })`: every field checked (a plain check, with zod only to name what a page got wrong),",
        "  de-duplication by `user_id`, camelCase mapping, sort by email, per-level lists.",
        "- **Cloudflare's SDK**: `new Cloudflare({ apiToken, baseURL })`, then `client.zeroTrust.riskScoring.summary.get({ account_id })`;",
        "  it parses and unwraps `result`, nothing else. The embedded API accepts its request unchanged.",
        "",
        `Each sample is a fresh process (\`node --expose-gc\`): it loads the variant, reads once (*first read*; the process's peak RSS`,
        "is taken right after it, from `process.resourceUsage().maxRSS`), then reads again (*warm read*, the one compared). The heap held",
        `by the result is the heap after a full GC with the result, less the heap once it is dropped. ${c.rounds} rounds of the three`,
        `variants, after ${c.warmupRounds} discarded.`,
        "",
        table(
            [
                "variant",
                "warm read",
                "min – max",
                "ratio to floor",
                "first read",
                "peak RSS",
                "RSS, modules loaded",
                "heap held by the result",
            ],
            rows,
            ["l", "r", "r", "r", "r", "r", "r", "r"],
        ),
    ].join("\n");
}

function paginationSection(r: BenchmarkResults): string {
    const p = r.pagination;
    const rows = p.rows.map((row) => [row.name, ms(row.ms), count(row.idealRoundTrips), ms(row.idealMs), times(row.ratioToIdeal)]);
    return [
        `## 2. Pagination: ${count(p.users)} users in ${p.pages} pages of ${p.perPage}, ${p.latencyMs} ms of server latency`,
        "",
        `The embedded API delays every response by ${p.latencyMs} ms (\`latencyMs\`). The ideal at concurrency c is page 1, then the other`,
        `${p.pages - 1} pages c at a time: ⌈${p.pages - 1} / c⌉ + 1 round trips, of a single request's round trip measured in the same run:`,
        `**${ms(p.roundTripMs)}** (one page of ${p.perPage}, median). The sequential loop is what a script would write with undici: page 1,`,
        "then each next page once the previous one is in. `fetchRiskSummary` runs with a limiter of its own, as wide as its",
        `concurrency. All in one worker process, ${p.rounds} rounds after ${p.warmupRounds} discarded; the server's log confirms every read asked for`,
        `each of the ${p.requestsPerRead} pages exactly once.`,
        "",
        table(["client", "median", "ideal round trips", "ideal", "ratio to ideal"], rows, ["l", "r", "r", "r", "r"]),
    ].join("\n");
}

function commandRow(users: number, command: string, baseline: CommandStats, withCall: CommandStats, emptyDynamic?: CommandStats): string[] {
    return [
        count(users),
        command,
        ms(baseline.ms),
        emptyDynamic === undefined ? "—" : `${ms(emptyDynamic.ms)} (${signedMs(emptyDynamic.ms - baseline.ms)})`,
        ms(withCall.ms),
        signedMs(withCall.ms - baseline.ms),
        count(withCall.requests),
        `${mib(withCall.providerPeakRssBytes)} (max ${mib(withCall.providerPeakRssMaxBytes)})`,
        `${mib(baseline.programPeakRssBytes)} → ${mib(withCall.programPeakRssBytes)}`,
    ];
}

function engineSection(r: Pick<BenchmarkResults, "engine">): string {
    const e = r.engine;
    const largeRequests = Math.ceil(e.stateLarge.users / e.perPage);
    const timeRows = [
        commandRow(e.stateSmall.users, "preview", e.small.baseline.preview, e.small.withCall.preview, e.small.emptyDynamic.preview),
        commandRow(e.stateSmall.users, "up", e.small.baseline.up, e.small.withCall.up, e.small.emptyDynamic.up),
        commandRow(e.stateLarge.users, "preview", e.large.baseline.preview, e.large.withCall.preview),
        commandRow(e.stateLarge.users, "up", e.large.baseline.up, e.large.withCall.up),
    ];
    const stateRows = [e.stateSmall, e.stateLarge].map((s) => [
        count(s.users),
        bytes(s.checkpointBytes),
        bytes(s.rawUsersBytes),
        `${s.ratio.toFixed(3)}×`,
        bytes(s.responseBytes),
        bytes(s.storedUsersBytes),
    ]);
    const at = (value: number | undefined) => (value === undefined ? "—" : `${(value / 1000).toFixed(2)} s`);
    // Preview, then up: the baseline, an empty dynamic provider, the call. What a run never saw is "—".
    const variants = [
        ["baseline", e.small.baseline],
        ["an empty dynamic provider,", e.small.emptyDynamic],
        ["with call", e.small.withCall],
    ] as const;
    const columns = (["preview", "up"] as const).flatMap((command) =>
        variants.map(([name, s]) => ({ header: `${name} ${command}`, stats: s[command] })),
    );
    const event = (label: string, value: (c: CommandStats) => number | undefined) => [label, ...columns.map((c) => at(value(c.stats)))];
    const timeline = table(
        ["event (seconds after `pulumi` starts)", ...columns.map((c) => c.header)],
        [
            event("program process first seen", (c) => c.programStartMs),
            event("dynamic-provider process first seen", (c) => c.providerStartMs),
            event("first API request", (c) => c.firstRequestMs),
            event("last API request", (c) => c.lastRequestMs),
            event("program process last seen", (c) => c.programEndMs),
            event("`pulumi` exits", (c) => c.ms),
        ],
        ["l", "r", "r", "r", "r", "r", "r"],
    );
    return [
        "## 3. Through the engine",
        "",
        "The real Pulumi CLI, the real dynamic-provider process and a `file://` backend, run with `child_process`. Projects:",
        "`dev/bench/fixtures/risk-summary` (one `getRiskSummary` call, exporting the count) and `dev/bench/fixtures/baseline` (the same",
        `program without the call, nor the package's import). With ${count(e.stateSmall.users)} users a third program alternates with these two:`,
        "`dev/bench/fixtures/empty-dynamic`, *an empty dynamic provider*: one `pulumi.dynamic.Resource` read by id as `getRiskSummary`'s",
        "is, from a provider whose `read` returns a constant, exporting one number; it pays the dynamic-provider mechanism and",
        `nothing of this package (no import of it, no request). The program sets no argument but the account: the client asks for pages of ${count(e.perPage)},`,
        `which the embedded API's cap of ${count(e.perPage)} allows, so ${count(e.stateLarge.users)} users are ${count(largeRequests)} requests, ${againstLimit(largeRequests, defaultMaxRequestsPerFiveMinutes)} the process-wide default of ${count(defaultMaxRequestsPerFiveMinutes)} requests per five minutes.`,
        "*preview* is `pulumi preview`; *up* is `pulumi up --yes --skip-preview`, the update alone (a `pulumi up` that previews first",
        "runs both). Every scenario has its own stack on a fresh backend directory; the warm-up round is the first",
        `deployment and is discarded, so the kept rounds (${e.small.rounds} with ${count(e.stateSmall.users)} users, ${e.large.rounds} with ${count(e.stateLarge.users)}) re-deploy an unchanged stack, which`,
        "reads the summary again on every preview and update. Peak RSS is the VmHWM of the node process running",
        `\`@pulumi/pulumi/cmd/dynamic-provider\` (and of the program's, \`cmd/run\`), polled from /proc every ${pollIntervalMs} ms.`,
        "",
        table(
            [
                "users",
                "command",
                "baseline",
                "an empty dynamic provider (added)",
                "with `getRiskSummary`",
                "added",
                "requests",
                "dynamic-provider peak RSS",
                "program peak RSS (baseline → with call)",
            ],
            timeRows,
            ["r", "l", "r", "r", "r", "r", "r", "r", "r"],
        ),
        "",
        "State: the checkpoint file of the `file://` backend after the runs, against the users as the API serializes them",
        "(`JSON.stringify` of the account's users), and every response body of one read (envelopes included).",
        "",
        table(["users", "checkpoint", "users' JSON", "ratio", "response bodies of one read", "`users` as stored (secret)"], stateRows, [
            "r",
            "r",
            "r",
            "r",
            "r",
            "r",
        ]),
        "",
        `Where the time of a ${count(e.stateSmall.users)}-user run goes (medians; process times at ~${pollIntervalMs} ms resolution):`,
        "",
        timeline,
    ].join("\n");
}

function footprintSection(r: BenchmarkResults): string {
    const f = r.footprint;
    const reads = (requests: number, readCount: number) =>
        `${count(requests)} (${Number.isInteger(readCount) ? readCount : readCount.toFixed(2)} read${readCount === 1 ? "" : "s"})`;
    return [
        "## 4. Footprint",
        "",
        `\`dev/bench/fixtures/many-calls\` makes N \`getRiskSummary\` calls on one account of ${count(f.users)} users, each with different`,
        "filters (so N `RiskSummary` resources), and one `RiskTrend` of the first. One read of the account is",
        `${f.pagesPerRead} requests (pages of ${count(f.perPage)}, the default). Each N on a fresh stack: a preview, then an update.`,
        "",
        table(
            ["calls", "`RiskSummary` resources", "preview: requests (reads)", "up: requests (reads)"],
            f.rows.map((row) => [
                String(row.calls),
                String(row.summaries),
                reads(row.previewRequests, row.previewReads),
                reads(row.upRequests, row.upReads),
            ]),
            ["r", "r", "r", "r"],
        ),
        "",
        "The largest serialized `__provider` a resource of each type stores in the state (from the checkpoint):",
        "",
        table(
            ["resource type", "resources", "`__provider`", "of which the provider module's path"],
            f.providers.map((p) => [p.type, String(p.resources), bytes(p.bytes), bytes(p.modulePathBytes)]),
            ["l", "r", "r", "r"],
        ),
        "",
        storedProviderNote(f.providers),
    ].join("\n");
}

/** What the measured `__provider` sizes say about the module path they store. */
function storedProviderNote(providers: FootprintResult["providers"]): string {
    const withPath = providers.filter((p) => p.modulePathBytes > 0);
    if (providers.length === 0) return "The checkpoint held no serialized `__provider`.";
    if (withPath.length === 0)
        return "None of them holds the path of the installed provider module (`implementationPath`): their size does not depend on where the package is installed.";
    return (
        `${withPath.length === providers.length ? "Each of them holds" : `${listing(withPath.map((p) => p.type))} ${withPath.length === 1 ? "holds" : "hold"}`} the absolute path of the installed provider module ` +
        `(${listing(withPath.map((p) => `${bytes(p.modulePathBytes)} of ${bytes(p.bytes)}`))}): that part varies from one machine to another with the path's length.`
    );
}

const driftLabels: Record<DriftRow["variant"], string> = {
    quiet: "(a) quiet account",
    oneChange: "(b) one change mid-read",
    everyRequest: "(c) a change after every request",
};

/** A `driftNext` call as a test would write it. */
function driftCall(steps: readonly ScriptedDrift[]): string {
    const step = (s: ScriptedDrift) =>
        `{ ${Object.entries(s)
            .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
            .join(", ")} }`;
    return `api.driftNext([${steps.map(step).join(", ")}])`;
}

/** A count that was the same in every sample, or its median and range. */
function countOf(middle: number, samples: readonly number[]): string {
    const low = Math.min(...samples);
    const high = Math.max(...samples);
    return low === high ? count(middle) : `${count(middle)} (${count(low)} – ${count(high)})`;
}

function driftOutcome(row: DriftRow): string {
    const o = row.outcome;
    return o.kind === "summary" ? `${count(o.users)} users, ${count(o.highRiskUsers)} at high risk` : `\`${o.name}\``;
}

/** The distinct splits of the samples' requests into reads, e.g. "100 + 100". */
function perRead(row: DriftRow): string {
    return [...new Set(row.requestsPerRead.map((reads) => reads.map(count).join(" + ")))].join(" or ");
}

/** The sentence of the header naming the sections measured in runs of their own. */
function apartNote(apart: readonly string[]): string {
    if (apart.length === 0) return "";
    if (apart.length === 1) return ` ${apart[0]} was measured in a run of its own (see there).`;
    return ` ${apart.slice(0, -1).join(", ")} and ${apart[apart.length - 1]} were each measured in a run of their own (see there).`;
}

/** The sections of `r` measured apart and added afterwards (`--add-drift`, `--add-plugin`). */
function sectionsApart(r: BenchmarkResults): string[] {
    return [...(r.driftRun === undefined ? [] : ["§5"]), ...(r.pluginRun === undefined ? [] : ["§6"])];
}

function driftProvenance(r: { machine: MachineInfo; driftRun?: RunInfo }): string[] {
    return provenance("drift", r.machine, r.driftRun);
}

/** Where a section measured by `--only <only>` came from, when it was added to the results of another run. */
function provenance(only: string, machine: MachineInfo, run: RunInfo | undefined): string[] {
    if (run === undefined) return [];
    const where = machineLine(run.machine) === machineLine(machine) ? "the machine as above" : `machine: ${machineLine(run.machine)}`;
    return [
        `Measured in a run of its own (\`--only ${only}\`) on ${run.machine.date}, in ${(run.durationMs / 60_000).toFixed(1)} minutes, and added to the`,
        `results of the run above afterwards; ${where}; ${softwareLine(run.versions)}.`,
        "",
    ];
}

function driftSection(r: { drift: DriftBenchmarkResult; machine: MachineInfo; driftRun?: RunInfo }): string {
    const d = r.drift;
    const { quiet: a, oneChange: b, everyRequest: c } = d.rows;
    const rows = [a, b, c].map((row) => [
        driftLabels[row.variant],
        driftOutcome(row),
        ms(row.ms),
        `${ms(Math.min(...row.samples))} – ${ms(Math.max(...row.samples))}`,
        countOf(row.requests, row.requestSamples),
        countOf(row.reads, row.readSamples),
        perRead(row),
        ms(row.ms / row.requests),
        times(row.ratioToQuiet),
    ]);
    const firstReads = new Set(b.requestsPerRead.map((reads) => reads[0] ?? 0));
    const firstRead =
        firstReads.size === 1 && firstReads.has(d.pages)
            ? [
                  `  Its first read still asked for all ${count(d.pages)} pages, though the change came after page ${count(d.changeAfterPages)}: a move leaves`,
                  "  `total_count` and `total_pages` as they were, so the read learns of it from the user listed twice, once every page is in.",
              ]
            : [
                  `  Its first read ended after ${[...firstReads].map(count).join(" or ")} requests, the change coming after page ${count(d.changeAfterPages)}.`,
              ];
    const returned = b.outcome.kind === "summary" ? b.outcome : undefined;
    return [
        `## 5. An account that changes during a read: ${count(d.users)} users`,
        "",
        ...driftProvenance(r),
        `\`fetchRiskSummary\` with its defaults reads one account of ${count(d.users)} users: pages of ${count(d.perPage)}, so ${count(d.pages)} requests, ${d.concurrency} at a time,`,
        `and up to ${d.readAttempts} reads from page 1 when the pages do not show one state of the account. The embedded API changes the`,
        "account between requests as the benchmark scripts it (`driftNext`, which counts the pages served); three variants alternate",
        "round after round:",
        "",
        `- **${driftLabels.quiet}**: no change.`,
        `- **${driftLabels.oneChange}**: \`${driftCall(b.steps)}\`: once page ${count(d.changeAfterPages)} has been served, the`,
        `  account's last user (on page ${count(d.pages)}) moves to the front at high risk.`,
        `- **${driftLabels.everyRequest}**: \`${driftCall(c.steps)}\`: the same move after every page served.`,
        "",
        "Each sample is a fresh process (`node --expose-gc`) that first reads another, quiet account of the same users (discarded:",
        "modules, JIT, connections), then, after a full GC, the scripted one: the timed read, until `fetchRiskSummary` returns or throws.",
        "Requests are the server's log of that account; a read is the requests from one page 1 to the next (a read starts again only",
        "once the one before has ended). The server renders every page it serves (no `cachePages`): a change empties that cache, so",
        `with it only the quiet account would be served from encoded pages. ${d.rounds} rounds of the three variants, after ${d.warmupRounds} discarded; a`,
        "variant that ends otherwise than its line says (reads, outcome, the users returned) stops the benchmark.",
        "",
        `The machine's 1-minute load average right before each sample (${d.loadAverages.length} samples, warm-up included, on ${d.cores} cores): median`,
        `${median(d.loadAverages).toFixed(1)}, from ${Math.min(...d.loadAverages).toFixed(1)} to ${Math.max(...d.loadAverages).toFixed(1)}.`,
        "",
        table(
            ["variant", "outcome", "median", "min – max", "requests", "reads", "requests per read", "median per request", "ratio to (a)"],
            rows,
            ["l", "l", "r", "r", "r", "r", "r", "r", "r"],
        ),
        "",
        `- **${driftLabels.oneChange}** took ${ms(b.ms)} against ${ms(a.ms)} for the quiet read (${signedMs(b.ms - a.ms)}): ${times(b.ratioToQuiet)} its time for ${times(b.requests / a.requests)} its requests.`,
        ...firstRead,
        ...(returned === undefined
            ? []
            : [
                  `  The read it accepted lists ${count(returned.users)} users, ${count(returned.highRiskUsers)} at high risk; the account as the server held it once the read ended`,
                  `  had ${count(b.accountHighRiskUsers)} at high risk (${returned.highRiskUsers === b.accountHighRiskUsers ? "the same" : "not the same"}; the quiet read: ${a.outcome.kind === "summary" ? count(a.outcome.highRiskUsers) : "—"}).`,
              ]),
        `- **${driftLabels.everyRequest}** ended in ${driftOutcome(c)} after ${count(c.reads)} reads and ${count(c.requests)} requests, in ${ms(c.ms)}:`,
        `  ${times(c.ratioToQuiet)} the quiet read's time for ${times(c.requests / a.requests)} its requests${c.outcome.kind === "summary" ? "" : ", and nothing returned"}. Those requests count against the`,
        `  process-wide limit of ${count(d.maxRequestsPerFiveMinutes)} per five minutes: ${percent(c.requests / d.maxRequestsPerFiveMinutes)} of it.`,
    ].join("\n");
}

const pluginLabels: Record<PluginVariant, string> = {
    tsBaseline: "TypeScript, without the call (dev/bench/fixtures/baseline)",
    tsWithCall: "TypeScript, `getRiskSummary` through the dynamic provider (dev/bench/fixtures/risk-summary)",
    yamlEmpty: "YAML, without the invoke (dev/bench/fixtures/yaml-empty)",
    yamlWithCall: "YAML, the `getRiskSummary` invoke through the plugin (dev/bench/fixtures/yaml-risk-summary)",
};

const peak = (stats: PreviewStats, rounds: number) =>
    stats.providerSeen === 0
        ? "none ran"
        : `${mib(stats.providerPeakRssBytes)}${stats.providerSeen < rounds ? ` (seen in ${stats.providerSeen} of ${rounds})` : ""}`;

/** `a / b`, when both are what was added (a ratio of a gain to a loss says nothing). */
const addedRatio = (a: number, b: number) => (a > 0 && b > 0 ? times(a / b) : "—");

function pluginRows(c: PluginComparison): string[][] {
    const added: Record<PluginVariant, string> = {
        tsBaseline: "",
        tsWithCall: signedMs(c.dynamicAddedMs),
        yamlEmpty: "",
        yamlWithCall: signedMs(c.pluginAddedMs),
    };
    return (["tsBaseline", "tsWithCall", "yamlEmpty", "yamlWithCall"] as const).map((v) => {
        const row = c.rows[v];
        return [
            count(c.users),
            pluginLabels[v],
            ms(row.ms),
            `${ms(Math.min(...row.samples))} – ${ms(Math.max(...row.samples))}`,
            count(row.requests),
            peak(row, c.rounds),
            mib(row.programPeakRssBytes),
            added[v],
        ];
    });
}

function pluginFindings(p: PluginBenchmarkResult): string[] {
    const e = p.encoding;
    const lines = [p.small, p.large].map(
        (c) =>
            `- **${count(c.users)} users:** the invoke added ${signedMs(c.pluginAddedMs)} to the YAML preview, the call ${signedMs(c.dynamicAddedMs)} to the TypeScript one` +
            ` (ratio ${addedRatio(c.pluginAddedMs, c.dynamicAddedMs)}): the plugin adds ${c.pluginAddedMs <= c.dynamicAddedMs ? "no more" : `${ms(c.pluginAddedMs - c.dynamicAddedMs)} more`} than the dynamic provider.` +
            ` ${c.rows.yamlWithCall.requests === c.rows.tsWithCall.requests ? "Both made the same number of requests" : "They made different numbers of requests"} (${count(c.rows.yamlWithCall.requests)} and ${count(c.rows.tsWithCall.requests)}) and exported ${count(c.exportedTotals.yaml)} and ${count(c.exportedTotals.typescript)} users.`,
    );
    const encodeMs = e.structMs + e.serializeMs;
    const share =
        p.large.pluginAddedMs > 0
            ? ` That is ${percent(encodeMs / p.large.pluginAddedMs)} of what the invoke added to the ${count(p.large.users)}-user YAML preview (measured apart, in a worker, not in the plugin's process).`
            : "";
    return [
        ...lines,
        `- **Encoding at ${count(e.users)} users:** \`Struct.fromJavaScript\` of the plugin's result took ${ms(e.structMs)} and \`serializeBinary\` ${ms(e.serializeMs)}, ${ms(encodeMs)} together, for ${bytes(e.bytes)} on the wire (${bytes(e.jsonBytes)} as JSON).${share}`,
    ];
}

function pluginSection(r: { plugin: PluginBenchmarkResult; machine: MachineInfo; pluginRun?: RunInfo }): string {
    const p = r.plugin;
    const e = p.encoding;
    const summary = [p.small, p.large].map((c) => [
        count(c.users),
        signedMs(c.pluginAddedMs),
        signedMs(c.dynamicAddedMs),
        addedRatio(c.pluginAddedMs, c.dynamicAddedMs),
        verdict(c.pluginAddedMs <= c.dynamicAddedMs),
    ]);
    return [
        `## 6. The provider plugin from a Pulumi YAML program: ${count(p.small.users)} and ${count(p.large.users)} users`,
        "",
        ...provenance("plugin", r.machine, r.pluginRun),
        "`pulumi preview` of four programs on the same account, alternating round after round: the engine benchmark's TypeScript",
        "programs (§3), with `getRiskSummary` through the dynamic provider and without it, and two Pulumi YAML programs that find",
        "the plugin (`bin/pulumi-resource-cloudflare-risk`) through `plugins.providers` in Pulumi.yaml, one invoking",
        "`cloudflare-risk:index:getRiskSummary` and exporting its counts, the other the same project without the invoke. Each stack is",
        "deployed once (`pulumi up`, untimed) before the rounds, so that every preview is of a deployed stack; a program with the call",
        "must make one read of the account (a request per page) in every preview, one without it none, and each program's exported",
        "total must be the account's users, else the benchmark stops. The YAML language host is `dev/scripts/setup-pulumi-yaml.sh`'s build.",
        `${p.small.rounds} rounds at ${count(p.small.users)} users, ${p.large.rounds} at ${count(p.large.users)}, after ${p.warmupRounds} discarded at each. The provider process is the`,
        "dynamic provider for TypeScript and the plugin for YAML; the program, the Node.js program or the YAML language host.",
        "",
        `The machine's 1-minute load average right before each preview (${p.loadAverages.length} previews, warm-up included, on ${p.cores} cores): median`,
        `${median(p.loadAverages).toFixed(1)}, from ${Math.min(...p.loadAverages).toFixed(1)} to ${Math.max(...p.loadAverages).toFixed(1)}.`,
        "",
        table(
            ["users", "program", "median", "min – max", "requests", "provider process peak RSS", "program peak RSS", "added by the call"],
            [...pluginRows(p.small), ...pluginRows(p.large)],
            ["r", "l", "r", "r", "r", "r", "r", "r"],
        ),
        "",
        "What the call adds, medians of the same rounds:",
        "",
        table(
            [
                "users",
                "the plugin adds to a YAML preview",
                "the dynamic provider adds to a TypeScript preview",
                "ratio",
                "plugin ≤ dynamic provider",
            ],
            summary,
            ["r", "r", "r", "r", "l"],
        ),
        "",
        `The invoke's encoding at ${count(e.users)} users, ${e.rounds} fresh processes (\`node --expose-gc\`, dev/bench/pluginEncodingWorker.ts): the plugin's`,
        "`getRiskSummary` reads the account with the invoke's arguments, then, after a full GC, its result goes through",
        "`Struct.fromJavaScript(outputs)`, as @pulumi/pulumi/provider/server.js builds the invoke's answer, and `serializeBinary`, as gRPC sends it.",
        "",
        table(
            [
                "users",
                "read",
                "`Struct.fromJavaScript`",
                "min – max",
                "`serializeBinary`",
                "serialized",
                "as JSON",
                "RSS before encoding",
                "peak RSS",
            ],
            [
                [
                    count(e.users),
                    ms(e.readMs),
                    ms(e.structMs),
                    `${ms(Math.min(...e.structSamples))} – ${ms(Math.max(...e.structSamples))}`,
                    ms(e.serializeMs),
                    bytes(e.bytes),
                    bytes(e.jsonBytes),
                    mib(e.startRssBytes),
                    mib(e.peakRssBytes),
                ],
            ],
            ["r", "r", "r", "r", "r", "r", "r", "r", "r"],
        ),
        "",
        ...pluginFindings(p),
    ].join("\n");
}

function profileTables(summary: ProfileSummary, functions: number): string {
    return [
        table(
            ["package or module", "self time", "share of busy"],
            summary.byModule.slice(0, 8).map((e) => [e.name, ms(e.ms), percent(e.share)]),
            ["l", "r", "r"],
        ),
        "",
        table(
            ["function", "self time", "share of busy"],
            summary.topFunctions.slice(0, functions).map((e) => [`\`${e.name}\``, ms(e.ms), percent(e.share)]),
            ["l", "r", "r"],
        ),
    ].join("\n");
}

function clientFindings(r: BenchmarkResults, checks: TargetCheck[]): string[] {
    const c = r.client;
    const p = c.phases;
    const { floor, ours, sdk } = c.variants;
    const missed = checks.filter((x) => x.section === "1" && !x.met).length > 0;
    const phaseRows = clientPhaseNames.map((name: ClientPhase) => [clientPhaseLabels[name], ms(p[name])]);
    const extra = p.validate + p.map + p.sort + p.views;
    const difference = ours.warmMs - floor.warmMs;
    const gcShare = c.profile.byModule.find((e) => e.name === "(garbage collector)")?.share ?? 0;
    // What fetchRiskSummary would take without the steps the other two do not do, against the target.
    const withoutExtra = ours.warmMs - extra;
    return [
        `### Client: ${missed ? "why `fetchRiskSummary` misses its targets" : "`fetchRiskSummary` against the floor and the SDK"}`,
        "",
        `\`fetchRiskSummary\` took ${ms(ours.warmMs)} against ${ms(floor.warmMs)} for the floor and ${ms(sdk.warmMs)} for Cloudflare's SDK. Each step on its own,`,
        `through the package's own functions, in one process (medians of ${c.phaseIterations} passes after one discarded):`,
        "",
        table(["step", "median"], phaseRows, ["l", "r"]),
        "",
        `- Every variant parses the same response: \`JSON.parse\` of its text takes ${ms(p.parse)} here; \`cloudflareGet\` also decodes the body to text first, as`,
        `  undici's \`body.json()\` does. Cloudflare's SDK was ${compareTime(sdk.warmMs, floor.warmMs)} the floor (${times(sdk.warmMs / floor.warmMs)}); besides parsing it only unwraps \`result\` (and, as it sends no \`page\` and`,
        "  returns `result` without `result_info`, against a paged response it would return the first page only).",
        `- \`fetchRiskSummary\` was ${compareTime(ours.warmMs, floor.warmMs)} the floor (${signedMs(difference)}). The steps the other two do not take: validation (${ms(p.validate)}), mapping (${ms(p.map)}), sorting (${ms(p.sort)}) and the`,
        `  per-level lists (${ms(p.views)}): ${ms(extra)} in all, ${times(extra / floor.warmMs)} the floor's whole read${difference > 0 ? ` and ${percent(extra / difference)} of the difference` : ""}. Validation alone is ${percent(p.validate / floor.warmMs)} of the floor.`,
        `- Peak RSS: ${mib(ours.peakRssBytes)} for \`fetchRiskSummary\`, ${compareAmount(ours.peakRssBytes, floor.peakRssBytes)} the floor's ${mib(floor.peakRssBytes)} and ${compareAmount(ours.peakRssBytes, sdk.peakRssBytes)} the SDK's ${mib(sdk.peakRssBytes)};`,
        `  the garbage collector takes ${percent(gcShare)} of the busy time in the profile below. The read allocates three sets of ${count(c.users)} user`,
        "  objects (the parsed JSON, the stripped copy, the camelCase copy) besides the map and the arrays that index them.",
        "",
        `CPU profile of one \`ours\` worker (\`node --cpu-prof\`: module loading, first and warm read; busy ${ms(c.profile.busyMs)}, idle ${ms(c.profile.idleMs)}):`,
        "",
        profileTables(c.profile, 10),
        "",
        "What was changed after the first run of this benchmark (commit 47d35b3):",
        "",
        "1. **A fast path for validation**: `validateRiskSummaryPage` checks the users in one plain loop (`checkRiskUsers`), with the",
        "   schema's own `user_id` and `last_event` patterns, enum and integer rules, and builds the stripped objects there; zod checks the",
        `   envelope, and the whole page only when a user fails, so every error message stays zod's. In this run the loop took ${ms(p.validate)},`,
        `   ${compareTime(p.validate, p.validateZod)} zod on the whole page (${ms(p.validateZod)}, ${times(p.validate / p.validateZod)}). A property test holds the loop to accepting exactly what zod accepts, and building the same objects.`,
        "2. **`toRiskUser` as one object literal**, generated from `riskUserFieldNames` (still the only mapping), instead of a loop of assignments.",
        "3. **The per-level lists in one pass** instead of one filter per level, and no filter pass without filters.",
        "",
        ...clientRemainder(ours.ratioToFloor, withoutExtra, floor.warmMs, p.sort),
    ];
}

/** Whether the steps the other two clients do not take are what keeps `fetchRiskSummary` above its target. */
function clientRemainder(ratioToFloor: number, withoutExtra: number, floorMs: number, sortMs: number): string[] {
    const limit = limits.clientRatioToFloor;
    const sort = "The sort is V8's own `Array.prototype.sort` with a two-key comparison.";
    if (ratioToFloor <= limit)
        return [
            `\`fetchRiskSummary\` is within ${limit}× the floor (${times(ratioToFloor)}) with the validation, the sort by email (${ms(sortMs)}) and the per-level lists included.`,
            sort,
        ];
    const rest = withoutExtra / floorMs;
    if (rest <= limit)
        return [
            `Less those steps \`fetchRiskSummary\` would take about ${ms(withoutExtra)}, ${times(rest)} the floor, within ${limit}×: what keeps it above is work the package`,
            `promises and the other two do not do: validation, the sort by email (${ms(sortMs)}), the per-level lists and the copies they allocate; getting under`,
            `the target would mean not validating or not sorting during the read, which changes what \`fetchRiskSummary\` returns. ${sort}`,
        ];
    return [
        `Even less those steps \`fetchRiskSummary\` would take about ${ms(withoutExtra)}, ${times(rest)} the floor, above ${limit}×: the steps timed apart`,
        `(validation, mapping, the sort by email at ${ms(sortMs)}, the per-level lists) do not account for all of the gap. ${sort}`,
    ];
}

function engineFindings(r: Pick<BenchmarkResults, "engine" | "moduleLoad">): string[] {
    const e = r.engine;
    const b = e.small.baseline.preview;
    const w = e.small.withCall.preview;
    const d = e.small.emptyDynamic.preview;
    const added = w.ms - b.ms;
    const addedUp = e.small.withCall.up.ms - e.small.baseline.up.ms;
    const mechanism = d.ms - b.ms;
    const mechanismUp = e.small.emptyDynamic.up.ms - e.small.baseline.up.ms;
    const load = (fragment: string) => r.moduleLoad.rows.find((row) => row.label.includes(fragment))?.ms ?? Number.NaN;
    const pulumiLoad = load("`@pulumi/pulumi`");
    const providerLoad = load("provider module");
    const undiciLoad = load("`undici`");
    const zodLoad = load("`zod` alone");
    const sdkLoad = load("the SDK alone");
    const restOfIndexLoad = load("rest of the package's index");
    const programLoad = sdkLoad + restOfIndexLoad;
    const span = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? "—" : ms(to - from));
    const readMs = w.firstRequestMs === undefined || w.lastRequestMs === undefined ? 0 : w.lastRequestMs - w.firstRequestMs;
    const ours = providerLoad + undiciLoad + programLoad + readMs;
    // The 2,000-user targets on the time the call adds (the 100,000-user ones have their own findings).
    const timeMissed = added > limits.engineAddedMs || addedUp > limits.engineAddedMs;
    const lines: string[] = [
        `### Engine: ${timeMissed ? `why the call adds more than ${ms(limits.engineAddedMs)}` : "what the call adds"} (${count(e.stateSmall.users)} users)`,
        "",
        `The call adds ${signedMs(added)} to a preview and ${signedMs(addedUp)} to an update. Measured against an empty dynamic provider in the same`,
        `rounds (§3): of the ${signedMs(added)} of a preview, the empty dynamic provider alone adds ${signedMs(mechanism)}; this package's share is`,
        `${signedMs(added - mechanism)}. Of the ${signedMs(addedUp)} of an update, the empty dynamic provider alone adds ${signedMs(mechanismUp)}; this package's share is ${signedMs(addedUp - mechanismUp)}.`,
        "From the timeline in §3 (preview):",
        "",
        `- program start → dynamic-provider process first seen: ${span(w.programStartMs, w.providerStartMs)}, ${span(d.programStartMs, d.providerStartMs)} with the empty provider (the baseline program runs start to end in`,
        `  ${span(b.programStartMs, b.programEndMs)}): the program loads the package and registers the read; the engine then starts the \`pulumi-nodejs\``,
        "  plugin, a shell script that runs `node` once to resolve the dynamic-provider script and once more to run it;",
        `- provider process → first request: ${span(w.providerStartMs, w.firstRequestMs)}: Node.js starting, \`@pulumi/pulumi\` loading, the gRPC handshake,`,
        "  `configure`, and this package's provider module loading;",
        `- the empty provider, from its process first seen to \`pulumi\` exiting: ${span(d.providerStartMs, d.ms)} (with the call: ${span(w.providerStartMs, w.ms)}, the read included);`,
        `- the read: ${span(w.firstRequestMs, w.lastRequestMs)} from the first to the last of ${count(w.requests)} requests;`,
        `- last request → \`pulumi\` exits: ${span(w.lastRequestMs, w.ms)}: the summary, its gRPC encoding, the engine, the program receiving and`,
        "  exporting, and both processes shutting down (the baseline needs none of this).",
        "",
        `Module loads, each in fresh processes (medians of ${r.moduleLoad.runs}):`,
        "",
        table(
            ["module", "require time"],
            r.moduleLoad.rows.map((row) => [row.label, ms(row.ms)]),
            ["l", "r"],
        ),
        "",
        `${signedMs(mechanism)} of the ${signedMs(added)} is what any dynamic provider costs, measured with one that does nothing: a second Node.js process`,
        `that loads \`@pulumi/pulumi\` (${ms(pulumiLoad)} alone; it peaks at ${mib(d.providerPeakRssBytes)} RSS, against ${mib(w.providerPeakRssBytes)} with the call) and answers over gRPC.`,
        ...mechanismAgainstTarget([
            { command: "a preview", mechanism, added },
            { command: "an update", mechanism: mechanismUp, added: addedUp },
        ]),
        `This package's share, ${signedMs(added - mechanism)}, against its parts: module loads in the provider process (${ms(providerLoad)}, and undici's`,
        `${ms(undiciLoad)} with the first request) and in the program (${ms(programLoad)}), and the read (${ms(readMs)}): ${ms(ours)} in all. One more preview of each`,
        "program, every node process profiled, shows where the rest goes: busy time (on the CPU, idle excluded) per process, and",
        "by module:",
        "",
        ...profileComparison(e.smallProfiles),
        "",
        ...cpuShare(e.smallProfiles, added - mechanism),
        `Of what this package loads, undici, which the provider process loads with its first request (${ms(undiciLoad)}), takes ${shareOf(undiciLoad, providerLoad + programLoad)}`,
        `the rest together: the provider module itself takes ${ms(providerLoad)} and the program ${ms(programLoad)} for what it imports of the package.`,
        `Neither loads zod (${ms(zodLoad)} alone in a fresh process) unless something needs it: a page that fails the plain checks (zod then says`,
        "what is wrong), a `lastEventSince` argument, or a first `fetchRiskSummary` in the program. Sending requests without undici would",
        "drop the `dispatcher` option (proxies, and the tests' `MockAgent`); it is not done.",
    ];
    return lines;
}

/** Whether what an empty dynamic provider adds is already above the 2,000-user target, per command. */
function mechanismAgainstTarget(commands: readonly { command: string; mechanism: number; added: number }[]): string[] {
    const target = `the ${ms(limits.engineAddedMs)} target`;
    return commands.map(({ command, mechanism, added }) =>
        mechanism > limits.engineAddedMs
            ? `For ${command} that alone (${signedMs(mechanism)}) is above ${target}: no change inside this package can meet it while the read goes through a dynamic provider.`
            : `For ${command} that alone (${signedMs(mechanism)}) is within ${target}${added > limits.engineAddedMs ? ": this package's share is what takes the call over it" : ", and so is the call"}.`,
    );
}

/** How much of this package's share the two processes spent on the CPU, from the profiles. */
function cpuShare(p: { readonly emptyDynamic: EngineProfiles; readonly withCall: EngineProfiles }, share: number): string[] {
    const busy = (x: EngineProfiles) => (x.program?.busyMs ?? Number.NaN) + (x.provider?.busyMs ?? Number.NaN);
    const cpu = busy(p.withCall) - busy(p.emptyDynamic);
    if (!Number.isFinite(cpu)) return [];
    if (cpu >= share) {
        return [
            `With the call, the two processes spend ${signedMs(cpu)} more on the CPU, as much as the whole share of ${signedMs(share)} or more:`,
            "part of that work runs while the other process or the engine would be waiting anyway.",
            "",
        ];
    }
    return [
        `With the call, the two processes spend ${signedMs(cpu)} more on the CPU, against a share of ${signedMs(share)}: the rest, about ${ms(share - cpu)},`,
        "is waiting (the read's round trips, the engine between the processes).",
        "",
    ];
}

/** Busy time of both processes, empty provider against the call, and the provider's by module. */
function profileComparison(p: { readonly emptyDynamic: EngineProfiles; readonly withCall: EngineProfiles }): string[] {
    const busy = (s: ProfileSummary | undefined) => (s === undefined ? "—" : ms(s.busyMs));
    const difference = (a: ProfileSummary | undefined, b: ProfileSummary | undefined) =>
        a === undefined || b === undefined ? "—" : signedMs(b.busyMs - a.busyMs);
    const processes = table(
        ["process", "empty dynamic provider", "with the call", "difference"],
        [
            ["program", busy(p.emptyDynamic.program), busy(p.withCall.program), difference(p.emptyDynamic.program, p.withCall.program)],
            [
                "dynamic provider",
                busy(p.emptyDynamic.provider),
                busy(p.withCall.provider),
                difference(p.emptyDynamic.provider, p.withCall.provider),
            ],
        ],
        ["l", "r", "r", "r"],
    );
    const at = (entries: readonly { name: string; ms: number }[], name: string) => entries.find((e) => e.name === name)?.ms;
    const byModule = (role: "program" | "provider", title: string) => {
        const empty = p.emptyDynamic[role]?.byModule ?? [];
        const withCall = p.withCall[role]?.byModule ?? [];
        const names = [...new Set([...withCall, ...empty].map((e) => e.name))];
        return table(
            [`${title}: package or module`, "empty dynamic provider", "with the call"],
            names.map((name) => [name, ms(at(empty, name) ?? 0), ms(at(withCall, name) ?? 0)]),
            ["l", "r", "r"],
        );
    };
    const modules = [byModule("program", "program process"), "", byModule("provider", "dynamic-provider process")].join("\n");
    return [
        processes,
        "",
        modules,
        "",
        "(One profile each, not a median of rounds: small differences between the columns may be noise. A module missing from the top of a profile counts as 0 ms there;",
        "module loading shows as node internals, which compile the code; WebAssembly is undici's HTTP parser.)",
    ];
}

/** The 100,000-user target: where the added time goes, from the timeline and the profiles. */
function largeEngineFindings(r: Pick<BenchmarkResults, "engine">, checks: TargetCheck[]): string[] {
    const e = r.engine;
    const w = e.large.withCall.preview;
    const b = e.large.baseline.preview;
    const mechanism = e.small.emptyDynamic.preview.ms - e.small.baseline.preview.ms;
    const missed = checks.some((x) => x.target.startsWith(`engine, ${count(e.stateLarge.users)} users: \`pulumi`) && !x.met);
    const span = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? "—" : ms(to - from));
    return [
        `### Engine: ${missed ? `why ${count(e.stateLarge.users)} users add more than ${ms(limits.largeAddedMs)}` : `what ${count(e.stateLarge.users)} users add`}`,
        "",
        `A preview with the call takes ${ms(w.ms)} against ${ms(b.ms)} (${signedMs(w.ms - b.ms)}). From its timeline: the dynamic-provider process`,
        `is first seen at ${span(0, w.providerStartMs)}, the ${count(w.requests)} requests run from ${span(0, w.firstRequestMs)} to ${span(0, w.lastRequestMs)}, and \`pulumi\` exits`,
        `${span(w.lastRequestMs, w.ms)} after the last one. Of the added time, ${signedMs(mechanism)} is what any dynamic provider costs (the empty one of the`,
        `${count(e.stateSmall.users)}-user rounds). The rest, ${signedMs(w.ms - b.ms - mechanism)}, goes with the ${count(e.stateLarge.users)} users: reading and checking them, sorting, digesting and compressing`,
        "them in the provider, through the engine's protobuf messages twice, and decoding them once in the program.",
        ...largestParts([e.profiles.provider, e.profiles.program]),
        "",
        "What this round changed (issue: large accounts, engine time):",
        "",
        "1. **One Output of the users.** Every `Output` made from a value walks all of it once (`@pulumi/pulumi` looks for unknowns",
        "   inside), and `pulumi.all` / `pulumi.output` copy what they are given. The SDK made an Output of the user list several times per call",
        "   (the decoded users, their secret copy, each per-level list, the combined result, the promise of `getRiskSummary`); it now",
        "   decodes the users once into one Output of the whole result, made while the users are still one string, and makes each",
        "   `RiskSummaryResource` list only when a program reads it (`sdk/riskSummaryResource.ts`). `RiskTrend` takes an Output as it is.",
        "2. **The stored users are their canonical JSON** (`[userId, email, name, maxRiskLevel, eventCount, lastEvent]` per user, sorted):",
        "   the audit's `usersSha256` is the SHA-256 of the stored text, where the provider used to sort a copy and serialize the users",
        "   a second time for it; the text is shorter than the objects' JSON, and gzip runs at its fastest level.",
        "3. **The provider stores what it must**: the users and the counts; the per-level lists are the SDK's to derive.",
        "4. **Less to load**: a valid page is checked without zod, by plain code that a property test holds to the schema",
        "   (`provider/client/checkEnvelope.ts`, as `checkRiskUsers` already did for the users), so neither process loads zod on a read that",
        "   succeeds; the program loads the page client only with a first `fetchRiskSummary` (see the module loads above).",
        "",
        "Tried and left alone: Brotli instead of gzip (not measured by this benchmark); reading the state by hand would then take a tool",
        "few machines have, where `base64 -d | gunzip` works everywhere.",
    ];
}

/** What some functions of the profiles are, for the sentence on the largest parts. */
const functionGlosses: readonly (readonly [prefix: string, gloss: string])[] = [
    ["wrapSafe ", "compiling modules, `@pulumi/pulumi`'s among them, which the baseline program compiles too"],
    ["S.U ", "google-protobuf's encoding and decoding of strings, the users' one string among them"],
];

/** A profile's function name without its location: `S.U (google-protobuf/…:110)` → `S.U`. */
const shortName = (name: string) => name.replace(/ \(.*\)$/, "");

/** A function of a profile is this package's when it is located in a module of the package's build (`summary/digest.js:37`). */
const ownFunction = (name: string) => /\((?!node internals)[^()…]*\.js:\d+\)$/.test(name);

/**
 * The functions with the most self time in the two profiles together (the garbage collector aside), and
 * whether they are this package's code, against the self time of this package's own modules.
 */
function largestParts(summaries: readonly (ProfileSummary | undefined)[]): string[] {
    const profiles = summaries.filter((s): s is ProfileSummary => s !== undefined);
    if (profiles.length === 0) return [];
    const total = new Map<string, number>();
    for (const entry of profiles.flatMap((s) => s.topFunctions)) total.set(entry.name, (total.get(entry.name) ?? 0) + entry.ms);
    const top = [...total.entries()]
        .filter(([name]) => name !== "(garbage collector)")
        .sort((x, y) => y[1] - x[1])
        .slice(0, 2);
    // Modules of the package's build are named by their path there (`summary/digest.js`); packages by their name.
    const ownMs = profiles.flatMap((s) => s.byModule).reduce((sum, m) => sum + (m.name.endsWith(".js") ? m.ms : 0), 0);
    const topMs = top.reduce((sum, [, value]) => sum + value, 0);
    const described = top.map(([name, value]) => {
        const gloss = functionGlosses.find(([prefix]) => name.startsWith(prefix))?.[1];
        return `\`${shortName(name)}\` (${ms(value)}${gloss === undefined ? "" : `: ${gloss}`})`;
    });
    const own = top.map(([name]) => name).filter(ownFunction);
    const owners =
        own.length === 0
            ? `${top.length === 1 ? "it is not" : "neither is"} this package's code, and ${top.length === 1 ? "it takes" : "together they take"} ${shareOf(topMs, ownMs)} this package's own modules (${ms(ownMs)})`
            : `${listing(own.map((name) => `\`${shortName(name)}\``))} ${own.length === 1 ? "is" : "are"} this package's code`;
    return [
        "The profiles (below, with the memory findings), summed over both processes: the functions with the most self time,",
        `the garbage collector aside, are ${listing(described)}; ${owners}.`,
    ];
}

function memoryFindings(r: BenchmarkResults, checks: TargetCheck[]): string[] {
    const e = r.engine;
    const large = e.large.withCall;
    const missed = checks.some((x) => x.target.includes("peak RSS") && !x.met);
    const at = (value: number | undefined) => (value === undefined ? "—" : `${(value / 1000).toFixed(2)} s`);
    const objects = r.protobuf.rows.find((row) => row.encoding === "objects");
    const gzip = r.protobuf.rows.find((row) => row.encoding === "gzip");
    const labels: Record<string, string> = {
        objects: "objects (what the provider returned at first)",
        json: "one JSON string",
        gzip: "one string: gzip of the canonical JSON, base64 (what it returns now)",
    };
    const lines: string[] = [
        `### Engine: ${missed ? `why the dynamic-provider process passes ${mib(limits.providerPeakRssBytes)}` : "the dynamic-provider process's memory"} (${count(e.stateLarge.users)} users)`,
        "",
        `The dynamic-provider process peaks at ${mib(large.preview.providerPeakRssBytes)} in a preview and ${mib(large.up.providerPeakRssBytes)} in an update, and the program at`,
        `${mib(large.preview.programPeakRssBytes)} and ${mib(large.up.programPeakRssBytes)}; the whole client process of §1 peaked at ${mib(r.client.variants.ours.peakRssBytes)} for the same read.`,
        `A preview takes ${ms(large.preview.ms)} (an update ${ms(large.up.ms)}); its ${count(large.preview.requests)} requests run from ${at(large.preview.firstRequestMs)} to ${at(large.preview.lastRequestMs)} after \`pulumi\` starts.`,
        "",
        "At the first run of this benchmark (commit 47d35b3) the provider returned the users as objects: it handed its result to the",
        "engine as a `google.protobuf.Struct` built by google-protobuf's JavaScript implementation, a message object per value",
        `(${count(e.stateLarge.users * 6)} values for ${count(e.stateLarge.users)} users of 6 fields) and a binary writer that buffers in JavaScript arrays, and the program`,
        "decoded it the same way. That encoding and two others, in isolation",
        `(a fresh process per encoding, the ${count(r.protobuf.users)} users already built; medians of ${r.protobuf.rounds}):`,
        "",
        table(
            ["users as", "encode", "decode", "bytes on the wire", "RSS before", "peak RSS"],
            r.protobuf.rows.map((row) => [
                labels[row.encoding] ?? row.encoding,
                ms(row.encodeMs),
                ms(row.decodeMs),
                bytes(row.bytes),
                mib(row.startRssBytes),
                mib(row.peakRssBytes),
            ]),
            ["l", "r", "r", "r", "r", "r"],
        ),
        "",
    ];
    if (objects !== undefined && gzip !== undefined) {
        lines.push(
            "The provider now returns `users` as one string, the base64 of the gzip of their canonical JSON (`provider/storage/storedRiskUsers.ts`), and the",
            "SDK decodes it (`RiskSummaryResource.users` is an `apply` of that output; the `report` command decodes it too, and still reads",
            "the plain lists of earlier states). `RiskTrend` and `RiskGate` send and keep their snapshot of levels the same way.",
            `In isolation that encoding peaks at ${mib(gzip.peakRssBytes)}, ${compareAmount(gzip.peakRssBytes, objects.peakRssBytes)} the objects' ${mib(objects.peakRssBytes)} (${times(gzip.peakRssBytes / objects.peakRssBytes)}), and takes`,
            `${ms(gzip.encodeMs + gzip.decodeMs)} both ways, ${compareTime(gzip.encodeMs + gzip.decodeMs, objects.encodeMs + objects.decodeMs)} the objects' ${ms(objects.encodeMs + objects.decodeMs)} (${times((gzip.encodeMs + gzip.decodeMs) / (objects.encodeMs + objects.decodeMs))}),`,
            `for ${times(gzip.bytes / objects.bytes)} the bytes on the wire. The cost: \`pulumi stack export --show-secrets\` shows the users as that string, which`,
            "`base64 -d | gunzip` turns back into JSON (README, *Outputs*).",
            "",
        );
    }
    for (const [role, summary] of [
        ["dynamic-provider process", e.profiles.provider],
        ["program process", e.profiles.program],
    ] as const) {
        if (summary === undefined) continue;
        lines.push(
            `CPU profile of the ${role} during one more ${count(e.stateLarge.users)}-user preview, as it is now (busy ${ms(summary.busyMs)}, idle ${ms(summary.idleMs)}):`,
            "",
            profileTables(summary, 6),
            "",
        );
    }
    return lines;
}

function stateFindings(r: BenchmarkResults): string[] {
    const s = r.engine.stateLarge;
    const small = r.engine.stateSmall;
    const fixedPart = {
        more: "the fixed part (the stack, `__provider`, the audit) weighs more against fewer users",
        same: "within noise of the larger account's",
        less: "lower than the larger account's",
    }[order(small.ratio, s.ratio)];
    return [
        "### State size",
        "",
        `The checkpoint is ${s.ratio.toFixed(3)}× the users' JSON, ${againstLimit(s.ratio, limits.stateRatio)} the limit of ${limits.stateRatio}×. \`users\` is stored as one secret: base64 of the AES-GCM`,
        `ciphertext of the engine's JSON of the compressed string, ${bytes(s.storedUsersBytes)} for ${count(s.users)} users. With ${count(small.users)} users`,
        `the ratio is ${small.ratio.toFixed(3)}×: ${fixedPart}. Before the users were compressed (commit 47d35b3), the state held them as`,
        "the base64 of the ciphertext of their plain JSON.",
    ];
}

function findingsSection(r: BenchmarkResults, checks: TargetCheck[]): string {
    return [
        "## Findings",
        "",
        ...clientFindings(r, checks),
        "",
        ...engineFindings(r),
        "",
        ...largeEngineFindings(r, checks),
        "",
        ...memoryFindings(r, checks),
        "",
        ...stateFindings(r),
    ].join("\n");
}

function howToRun(): string {
    return [
        "## How to run",
        "",
        "```sh",
        "npm ci",
        "npm run bench   # builds, runs every benchmark and the findings' measurements, writes docs/benchmarks.md",
        "npm run build && npm run build:dev && node dist/dev/bench/runBenchmarks.js --render docs/benchmarks.json   # this page again, from the saved measurements",
        "node dist/dev/bench/runBenchmarks.js --only drift --out /tmp/drift.md   # after the build: §5 alone, its measurements in /tmp/drift.json",
        "node dist/dev/bench/runBenchmarks.js --render docs/benchmarks.json --add-drift /tmp/drift.json   # this page with §5 from that run",
        "node dist/dev/bench/runBenchmarks.js --only plugin --out /tmp/plugin.md   # after the build: §6 alone, its measurements in /tmp/plugin.json",
        "node dist/dev/bench/runBenchmarks.js --render docs/benchmarks.json --add-plugin /tmp/plugin.json   # this page with §6 from that run",
        "```",
        "",
        "Each run also saves its measurements in docs/benchmarks.json. Progress goes to stderr. The Pulumi CLI comes from `dev/scripts/setup-pulumi.sh` (built once and cached, see the README);",
        "everything else is local: the embedded API on 127.0.0.1 and `file://` backends in temporary directories that are",
        "removed afterwards. The code is in `dev/bench/`: `measure.ts` (alternation, warm-up, medians), one file per benchmark,",
        "their child-process workers, and `benchmarkReport.ts` for this page.",
    ].join("\n");
}

export function renderBenchmarkReport(r: BenchmarkResults, checks: TargetCheck[]): string {
    return (
        [
            header(
                r,
                r.drift === undefined ? "cached" : "cachedButDrift",
                sectionsApart(r),
                Math.max(r.client.users, r.engine.stateLarge.users, r.plugin?.large.users ?? 0),
            ),
            targetsSection(checks),
            clientSection(r),
            paginationSection(r),
            engineSection(r),
            footprintSection(r),
            ...(r.drift === undefined ? [] : [driftSection({ drift: r.drift, machine: r.machine, driftRun: r.driftRun })]),
            ...(r.plugin === undefined ? [] : [pluginSection({ plugin: r.plugin, machine: r.machine, pluginRun: r.pluginRun })]),
            findingsSection(r, checks),
            howToRun(),
        ].join("\n\n") + "\n"
    );
}

/** `--only engine`: §3 and its time findings (with the module loads they cite), not the whole page. */
export type EngineReportResults = Pick<BenchmarkResults, "machine" | "versions" | "durationMs" | "engine" | "moduleLoad">;

export function renderEngineReport(r: EngineReportResults, checks: TargetCheck[]): string {
    return (
        [
            header(r, "cached", [], r.engine.stateLarge.users),
            "Only the engine benchmark (`--only engine`): §3 and the findings on the time the call adds.",
            targetsSection(checks),
            engineSection(r),
            ["## Findings", "", ...engineFindings(r), "", ...largeEngineFindings(r, checks)].join("\n"),
        ].join("\n\n") + "\n"
    );
}

/** `--only drift`: §5 alone. */
export function renderDriftReport(r: DriftRunResults): string {
    return (
        [
            header(r, "rendered"),
            "Only the drift benchmark (`--only drift`): §5.",
            driftSection({ drift: r.drift, machine: r.machine }),
        ].join("\n\n") + "\n"
    );
}

/** `--only plugin`: §6 alone, with its target. */
export function renderPluginReport(r: PluginRunResults, checks: TargetCheck[]): string {
    return (
        [
            header(r, "cached", [], r.plugin.large.users),
            "Only the plugin benchmark (`--only plugin`): §6.",
            targetsSection(checks),
            pluginSection({ plugin: r.plugin, machine: r.machine }),
        ].join("\n\n") + "\n"
    );
}
