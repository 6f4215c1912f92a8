import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { defaultPerPage } from "../../provider/arguments/defaults";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../local-api";
import { apiTarget, bearer, summaryUrl } from "./apiTarget";
import { BenchStack, type ConfigValue, type StackRun } from "./benchStack";
import { type ProfileSummary, summarizeCpuProfileFile } from "./cpuProfile";
import { maximum, median, runAlternating } from "./measure";
import { progress } from "./progress";

/**
 * Benchmark 3: `pulumi preview` and `pulumi up` through the real engine and dynamic-provider
 * process, of dev/bench/fixtures/risk-summary (one getRiskSummary call, no argument but the account) against
 * dev/bench/fixtures/baseline (the same program without it), on 2,000 users and on 100,000 users. The 2,000-user
 * scenario has a third program, dev/bench/fixtures/empty-dynamic (one dynamic resource read like
 * getRiskSummary's, from a provider that does nothing), to measure what the dynamic-provider mechanism
 * costs by itself. Each variant has a stack on a fresh `file://` backend; a warm-up round deploys it
 * first, so the kept rounds are the steady state of a stack that is deployed again.
 */

export const fixturesDir = path.resolve(__dirname, "..", "..", "..", "dev", "bench", "fixtures");

export interface EngineBenchmarkOptions {
    readonly smallUsers: number;
    readonly largeUsers: number;
    readonly rounds: number;
    readonly largeRounds: number;
    readonly warmupRounds: number;
}

/** Medians of one scenario's kept runs of one command. */
export interface CommandStats {
    readonly ms: number;
    readonly samples: number[];
    readonly providerPeakRssBytes: number;
    readonly providerPeakRssMaxBytes: number;
    readonly programPeakRssBytes: number;
    readonly requests: number;
    /** Timeline medians, ms after spawn. */
    readonly programStartMs: number | undefined;
    readonly programEndMs: number | undefined;
    readonly providerStartMs: number | undefined;
    readonly providerEndMs: number | undefined;
    readonly firstRequestMs: number | undefined;
    readonly lastRequestMs: number | undefined;
}

export interface ScenarioStats {
    readonly name: string;
    readonly preview: CommandStats;
    readonly up: CommandStats;
}

export interface StateSize {
    readonly users: number;
    readonly checkpointBytes: number;
    /** The users as the API serializes them (`JSON.stringify` of the account's user list). */
    readonly rawUsersBytes: number;
    /** Every response body of one read, envelopes included. */
    readonly responseBytes: number;
    /** The RiskSummary resource's `users` output as stored (a secret: ciphertext). */
    readonly storedUsersBytes: number;
    readonly ratio: number;
}

export interface EngineComparison {
    readonly baseline: ScenarioStats;
    readonly withCall: ScenarioStats;
    readonly rounds: number;
}

/** The 2,000-user comparison, with dev/bench/fixtures/empty-dynamic alternating with the other two. */
export interface SmallEngineComparison extends EngineComparison {
    /** One dynamic resource whose provider answers `read` with a constant: the mechanism alone. */
    readonly emptyDynamic: ScenarioStats;
}

/** CPU profiles of the two node processes of one large preview (absent if a process wrote none). */
export interface EngineProfiles {
    readonly program: ProfileSummary | undefined;
    readonly provider: ProfileSummary | undefined;
}

export interface EngineBenchmarkResult {
    readonly profiles: EngineProfiles;
    /** One more 2,000-user preview of each dynamic program, profiled: where this package's share goes. */
    readonly smallProfiles: { readonly emptyDynamic: EngineProfiles; readonly withCall: EngineProfiles };
    readonly small: SmallEngineComparison;
    readonly large: EngineComparison;
    /** The page size the client asks for by default, which the embedded API's cap allows. */
    readonly perPage: number;
    readonly warmupRounds: number;
    readonly stateSmall: StateSize;
    readonly stateLarge: StateSize;
}

/** The accounts of the 2,000-user and 100,000-user scenarios (also the plugin benchmark's). */
export const smallAccount = "0123456789abcdef0123456789abcdef";
export const largeAccount = "00000000000000000000000000100000";

/** The stack config of the TypeScript programs in dev/bench/fixtures: the account, and the provider's token and base URL. */
export function engineStackConfig(api: LocalCloudflareApi, accountId: string): Record<string, ConfigValue> {
    return {
        accountId: { value: accountId },
        "cloudflare:apiToken": { value: api.credentials.apiToken, secret: true },
        "cloudflare:baseUrl": { value: api.baseUrl },
    };
}

const optional = (values: (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length === 0 ? undefined : median(known);
};

function commandStats(runs: StackRun[]): CommandStats {
    return {
        ms: median(runs.map((r) => r.ms)),
        samples: runs.map((r) => r.ms),
        providerPeakRssBytes: median(runs.map((r) => r.providerPeakRssBytes)),
        providerPeakRssMaxBytes: maximum(runs.map((r) => r.providerPeakRssBytes)),
        programPeakRssBytes: median(runs.map((r) => r.programPeakRssBytes)),
        requests: median(runs.map((r) => r.requests)),
        programStartMs: optional(runs.map((r) => r.program.firstSeenMs)),
        programEndMs: optional(runs.map((r) => r.program.lastSeenMs)),
        providerStartMs: optional(runs.map((r) => r.provider.firstSeenMs)),
        providerEndMs: optional(runs.map((r) => r.provider.lastSeenMs)),
        firstRequestMs: optional(runs.map((r) => r.firstRequestMs)),
        lastRequestMs: optional(runs.map((r) => r.lastRequestMs)),
    };
}

interface Deployment {
    readonly preview: StackRun;
    readonly up: StackRun;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Runs the variants (the stacks, in this order in the first round) alternately: a preview, then an update. */
async function compare<V extends string>(
    api: LocalCloudflareApi,
    stacks: Record<V, BenchStack>,
    label: string,
    rounds: number,
    warmupRounds: number,
): Promise<Record<V, Deployment[]>> {
    const count = () => api.requests.length;
    return runAlternating(
        Object.keys(stacks) as V[],
        async (variant) => {
            const stack = stacks[variant];
            api.resetRequestLog();
            const preview = await stack.run("preview", count);
            api.resetRequestLog();
            const up = await stack.run("up", count);
            return { preview, up };
        },
        { label, rounds, warmupRounds },
        (d) =>
            `preview ${(d.preview.ms / 1000).toFixed(2)} s, up ${(d.up.ms / 1000).toFixed(2)} s, ${d.up.requests} requests, provider peak RSS ${mb(Math.max(d.preview.providerPeakRssBytes, d.up.providerPeakRssBytes))}`,
    );
}

function scenario(name: string, runs: Deployment[]): ScenarioStats {
    return { name, preview: commandStats(runs.map((d) => d.preview)), up: commandStats(runs.map((d) => d.up)) };
}

/** Sums the bodies of one read as the client makes it: page 1, then every other page. */
async function responseBytesOfOneRead(api: LocalCloudflareApi, accountId: string, perPage: number): Promise<number> {
    const target = apiTarget(api, accountId);
    let total = 0;
    let pages = 1;
    for (let page = 1; page <= pages; page++) {
        const query: Record<string, number> = { page, per_page: perPage };
        const response = await request(summaryUrl(target, query), { headers: bearer(target) });
        const body = Buffer.from(await response.body.arrayBuffer());
        total += body.length;
        pages = (JSON.parse(body.toString("utf8")) as { result_info: { total_pages: number } }).result_info.total_pages;
    }
    return total;
}

async function stateSize(api: LocalCloudflareApi, stack: BenchStack, accountId: string, perPage: number): Promise<StateSize> {
    const text = await fs.readFile(await stack.checkpointFile(), "utf8");
    const resources = (JSON.parse(text) as { checkpoint: { latest: { resources: { type: string; outputs?: Record<string, unknown> }[] } } })
        .checkpoint.latest.resources;
    const summary = resources.find((r) => r.type.endsWith(":RiskSummary"));
    if (summary === undefined) throw new Error("no RiskSummary in the checkpoint");
    const users = api.users(accountId);
    const rawUsersBytes = Buffer.byteLength(JSON.stringify(users));
    const checkpointBytes = Buffer.byteLength(text);
    return {
        users: users.length,
        checkpointBytes,
        rawUsersBytes,
        responseBytes: await responseBytesOfOneRead(api, accountId, perPage),
        storedUsersBytes: Buffer.byteLength(JSON.stringify(summary.outputs?.users ?? null)),
        ratio: checkpointBytes / rawUsersBytes,
    };
}

/** One more preview, with every node process of the run profiled through bench/cpuProfileHook. */
async function profileRun(api: LocalCloudflareApi, stack: BenchStack): Promise<EngineProfiles> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-bench-prof-"));
    try {
        const hook = path.join(__dirname, "cpuProfileHook.js");
        const nodeOptions = [process.env.NODE_OPTIONS, `--require "${hook}"`].filter(Boolean).join(" ");
        await stack.run("preview", () => api.requests.length, { NODE_OPTIONS: nodeOptions, BENCH_CPU_PROFILE_DIR: dir });
        const files = await fs.readdir(dir);
        const summary = async (role: string) => {
            const file = files.find((f) => f.startsWith(`${role}-`));
            return file === undefined ? undefined : summarizeCpuProfileFile(path.join(dir, file), 10);
        };
        return { program: await summary("program"), provider: await summary("provider") };
    } finally {
        await fs.rm(dir, { recursive: true, force: true });
    }
}

export async function runEngineBenchmark(options: EngineBenchmarkOptions): Promise<EngineBenchmarkResult> {
    const api = await startLocalCloudflareApi({
        accounts: { [smallAccount]: { size: options.smallUsers }, [largeAccount]: { size: options.largeUsers } },
        cachePages: true,
    });
    const config = (accountId: string) => engineStackConfig(api, accountId);
    const stacks: BenchStack[] = [];
    const stack = async (project: string, accountId: string) => {
        const created = await BenchStack.create(path.join(fixturesDir, project), config(accountId));
        stacks.push(created);
        return created;
    };
    try {
        progress(`engine: stacks for ${options.smallUsers} and ${options.largeUsers} users`);
        const baselineSmall = await stack("baseline", smallAccount);
        const emptySmall = await stack("empty-dynamic", smallAccount);
        const small = await stack("risk-summary", smallAccount);
        const baselineLarge = await stack("baseline", largeAccount);
        const large = await stack("risk-summary", largeAccount);

        const smallRuns = await compare(
            api,
            { baseline: baselineSmall, emptyDynamic: emptySmall, withCall: small },
            `engine ${options.smallUsers}`,
            options.rounds,
            options.warmupRounds,
        );
        const largeRuns = await compare(
            api,
            { baseline: baselineLarge, withCall: large },
            `engine ${options.largeUsers}`,
            options.largeRounds,
            options.warmupRounds,
        );

        progress(`engine: CPU profiles of one more ${options.smallUsers}-user preview, with the call and with the empty provider`);
        const smallProfiles = { emptyDynamic: await profileRun(api, emptySmall), withCall: await profileRun(api, small) };
        progress(`engine: CPU profiles of one more ${options.largeUsers}-user preview`);
        const profiles = await profileRun(api, large);
        progress("engine: state sizes");
        return {
            profiles,
            smallProfiles,
            small: {
                baseline: scenario("baseline", smallRuns.baseline),
                emptyDynamic: scenario("an empty dynamic provider", smallRuns.emptyDynamic),
                withCall: scenario("getRiskSummary", smallRuns.withCall),
                rounds: options.rounds,
            },
            large: {
                baseline: scenario("baseline", largeRuns.baseline),
                withCall: scenario("getRiskSummary", largeRuns.withCall),
                rounds: options.largeRounds,
            },
            perPage: defaultPerPage,
            warmupRounds: options.warmupRounds,
            stateSmall: await stateSize(api, small, smallAccount, defaultPerPage),
            stateLarge: await stateSize(api, large, largeAccount, defaultPerPage),
        };
    } finally {
        for (const s of stacks) await s.dispose();
        await api.stop();
    }
}
