import { spawn } from "node:child_process";
import * as path from "node:path";

/**
 * Measured clients run in child processes of their own: a fresh process per sample gives each
 * variant the same start (no heap, JIT or connection pool left by another variant) and makes its
 * peak RSS its own. The parent sends the arguments as one JSON argument; the worker answers with one
 * JSON line on stdout. Progress of a worker goes to stderr, which the parent passes on.
 */

export interface WorkerOptions {
    /** Extra arguments to node itself, e.g. `--expose-gc` or `--cpu-prof`. */
    readonly nodeArgs?: readonly string[];
    /** Where the worker runs (matters for `--cpu-prof`, which writes into the working directory by default). */
    readonly cwd?: string;
    /** Killed after this long (default 10 minutes): a stuck worker must not hang the benchmark. */
    readonly timeoutMs?: number;
}

/** The environment of a worker: no Cloudflare setting of the developer's can reach the measured clients. */
export function workerEnv(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (name.startsWith("CLOUDFLARE_")) delete env[name];
    return env;
}

/** Runs `dist/dev/bench/<script>` with `args` and resolves with the JSON it printed. */
export function runWorker<A, R>(script: string, args: A, options: WorkerOptions = {}): Promise<R> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(__dirname, script), JSON.stringify(args)], {
            cwd: options.cwd,
            env: workerEnv(),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
            stderr += chunk;
            process.stderr.write(chunk);
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10 * 60 * 1000);
        child.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            const last = stdout.trim().split("\n").pop() ?? "";
            if (code !== 0) {
                reject(new Error(`${script} exited with ${signal ?? code}: ${stderr.trim().slice(-2000)}`));
                return;
            }
            try {
                resolve(JSON.parse(last) as R);
            } catch {
                reject(new Error(`${script} printed no JSON result: ${JSON.stringify(last.slice(0, 200))}`));
            }
        });
    });
}

/**
 * The worker side: parses the argument, runs `body`, prints its result and exits (open sockets or
 * not). Does nothing unless `mod` is the process's main module, so a worker's exports stay importable.
 */
export function workerMain<A, R>(mod: NodeJS.Module, body: (args: A) => Promise<R>): void {
    if (require.main !== mod) return;
    const raw = process.argv[2];
    if (raw === undefined) {
        process.stderr.write("usage: node <worker>.js '<json arguments>'\n");
        process.exit(2);
    }
    body(JSON.parse(raw) as A).then(
        (result) => process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0)),
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exit(1);
        },
    );
}
