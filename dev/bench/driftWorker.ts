import { InconsistentReadError } from "../../provider/client/errors";
import { fetchRiskSummary } from "../../provider/summary/fetchRiskSummary";
import type { ApiTarget } from "./apiTarget";
import { workerMain } from "./workerProtocol";

/**
 * One sample of the drift benchmark, in a fresh process (run with `--expose-gc`): `fetchRiskSummary`
 * with its defaults reads a quiet account once (modules, JIT and connections warm, discarded), then,
 * after a full GC, the account the parent scripted drift for (the timed read). The worker knows nothing
 * of the drift: what it sees is what a client sees.
 */

export interface DriftWorkerArgs {
    /** The account of the discarded first read: never drifts. */
    readonly warmTarget: ApiTarget;
    /** The account of the timed read. */
    readonly target: ApiTarget;
    readonly expectedUsers: number;
}

export type DriftOutcome =
    | { readonly kind: "summary"; readonly users: number; readonly highRiskUsers: number }
    | {
          readonly kind: "error";
          readonly name: string;
          readonly code: string | undefined;
          readonly message: string;
          /** `InconsistentReadError`'s reads and requests, as the client counted them. */
          readonly attempts?: number;
          readonly pagesRequested?: number;
      };

export interface DriftWorkerSample {
    /** The discarded first read. */
    readonly firstMs: number;
    /** The timed read, until it returned or threw. */
    readonly ms: number;
    readonly outcome: DriftOutcome;
}

async function collect(): Promise<void> {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error("run the drift worker with --expose-gc");
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    gc();
}

const read = (target: ApiTarget) => fetchRiskSummary({ accountId: target.accountId, apiToken: target.apiToken, baseUrl: target.baseUrl });

async function sample(args: DriftWorkerArgs): Promise<DriftWorkerSample> {
    const firstStart = performance.now();
    const first = await read(args.warmTarget);
    const firstMs = performance.now() - firstStart;
    if (first.users.length !== args.expectedUsers)
        throw new Error(`the first read got ${first.users.length} users, expected ${args.expectedUsers}`);

    // In a function of its own, so that nothing of the result is reachable once it returns.
    const timed = async (): Promise<{ ms: number; outcome: DriftOutcome }> => {
        await collect();
        const start = performance.now();
        try {
            const summary = await read(args.target);
            const ms = performance.now() - start;
            return { ms, outcome: { kind: "summary", users: summary.users.length, highRiskUsers: summary.counts.high } };
        } catch (error) {
            const ms = performance.now() - start;
            if (!(error instanceof Error)) throw error;
            const code = (error as { code?: unknown }).code;
            return {
                ms,
                outcome: {
                    kind: "error",
                    name: error.name,
                    code: typeof code === "string" ? code : undefined,
                    message: error.message,
                    ...(error instanceof InconsistentReadError ? { attempts: error.attempts, pagesRequested: error.pagesRequested } : {}),
                },
            };
        }
    };
    const { ms, outcome } = await timed();
    return { firstMs, ms, outcome };
}

workerMain(module, sample);
