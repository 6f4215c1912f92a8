import { request } from "undici";
import { fetchRiskSummary } from "../../provider/summary/fetchRiskSummary";
import { RequestLimiter } from "../../provider/client/limiter";
import { type ApiTarget, bearer, summaryUrl } from "./apiTarget";
import { runAlternating } from "./measure";
import { workerMain } from "./workerProtocol";

/**
 * Benchmark 2's client side, in one worker process: a single round trip, a sequential page loop and
 * `fetchRiskSummary` at several concurrencies, alternating round after round against a server that
 * answers every request after a fixed latency.
 */

export interface PaginationWorkerArgs {
    readonly target: ApiTarget;
    readonly expectedUsers: number;
    readonly rounds: number;
    readonly warmupRounds: number;
    /** Concurrencies to run `fetchRiskSummary` at, besides its default. */
    readonly concurrencies: readonly number[];
}

/** `rtt`: one page; `sequential`: every page one after another; `default`: ours with no option; `cN`: ours at N. */
export type PaginationVariant = "rtt" | "sequential" | "default" | `c${number}`;

export interface PaginationWorkerResult {
    /** Wall times (ms) of the kept rounds, by variant. */
    readonly samples: Record<string, number[]>;
}

interface SummaryPage {
    result: { users: unknown[] };
    result_info: { total_pages: number; per_page: number };
}

async function getPage(target: ApiTarget, query: Record<string, number>): Promise<SummaryPage> {
    const response = await request(summaryUrl(target, query), { headers: bearer(target) });
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    return (await response.body.json()) as SummaryPage;
}

/** The plain loop a script would write: page 1, then each next page once the previous one is in. */
async function sequential(target: ApiTarget): Promise<number> {
    const first = await getPage(target, {});
    let users = first.result.users.length;
    for (let page = 2; page <= first.result_info.total_pages; page++) {
        users += (await getPage(target, { page, per_page: first.result_info.per_page })).result.users.length;
    }
    return users;
}

async function ours(target: ApiTarget, concurrency: number | undefined): Promise<number> {
    // A limiter of its own, wide enough for the concurrency asked (the shared one allows 8 in flight).
    const limiter = new RequestLimiter({ maxConcurrentRequests: Math.max(8, concurrency ?? 0) });
    const summary = await fetchRiskSummary({
        accountId: target.accountId,
        apiToken: target.apiToken,
        baseUrl: target.baseUrl,
        concurrency,
        // Pages of the server's default size, as the benchmark measures paging with many pages.
        perPage: 20,
        limiter,
    });
    return summary.users.length;
}

async function run(args: PaginationWorkerArgs): Promise<PaginationWorkerResult> {
    const variants: PaginationVariant[] = ["rtt", "sequential", "default", ...args.concurrencies.map((c) => `c${c}` as const)];
    const timed = async (variant: PaginationVariant): Promise<number> => {
        const start = performance.now();
        let users: number;
        if (variant === "rtt") {
            await getPage(args.target, {});
            return performance.now() - start;
        } else if (variant === "sequential") {
            users = await sequential(args.target);
        } else if (variant === "default") {
            users = await ours(args.target, undefined);
        } else {
            users = await ours(args.target, Number(variant.slice(1)));
        }
        const ms = performance.now() - start;
        if (users !== args.expectedUsers) throw new Error(`${variant} read ${users} users, expected ${args.expectedUsers}`);
        return ms;
    };
    const samples = await runAlternating(
        variants,
        timed,
        { label: "pagination", rounds: args.rounds, warmupRounds: args.warmupRounds },
        (ms) => `${ms.toFixed(0)} ms`,
    );
    return { samples };
}

workerMain(module, run);
