import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ensurePulumiCli, pulumiEnv } from "../pulumi-cli/pulumiCli";
import { type RoleObservation, pollIntervalMs, watchProcessTree } from "./processWatch";

const runFile = promisify(execFile);

/**
 * A stack of one of the committed dev/bench/fixtures projects on a fresh `file://` backend, run by the
 * real CLI through child_process. Each run is timed from spawn to exit while /proc is watched for
 * the program and the dynamic-provider processes.
 */

export type StackCommand = "preview" | "up";

export interface StackRun {
    readonly command: StackCommand;
    /** Wall time of the CLI, spawn to exit. */
    readonly ms: number;
    /** Peak RSS (VmHWM) of the dynamic-provider process; 0 when the run started none. */
    readonly providerPeakRssBytes: number;
    readonly programPeakRssBytes: number;
    readonly provider: RoleObservation;
    readonly program: RoleObservation;
    /** API requests the run made, when a counter was given. */
    readonly requests: number;
    /** When the request count first moved and when it last did (ms since spawn; ~50 ms resolution). */
    readonly firstRequestMs: number | undefined;
    readonly lastRequestMs: number | undefined;
}

export interface ConfigValue {
    readonly value: string;
    readonly secret?: boolean;
}

/** What a role's processes have in their command line: a TypeScript program and its dynamic provider by default. */
export interface StackRoles {
    readonly program: string;
    readonly provider: string;
}

const nodeRoles: StackRoles = {
    program: "@pulumi/pulumi/cmd/run",
    provider: "@pulumi/pulumi/cmd/dynamic-provider",
};

export interface StackOptions {
    /** Put on PATH after the CLI's folder (e.g. the YAML language host's). */
    readonly extraBinDirs?: readonly string[];
    /** The processes watched as program and provider (default: a Node.js program and the dynamic provider). */
    readonly roles?: StackRoles;
}

export class BenchStack {
    /** Stacks not disposed yet, for `disposeAllSync` when the benchmark is interrupted. */
    private static readonly live = new Set<BenchStack>();

    private constructor(
        readonly projectDir: string,
        readonly stackName: string,
        readonly backendDir: string,
        private readonly binDir: string,
        private readonly env: NodeJS.ProcessEnv,
        private readonly roles: StackRoles,
    ) {}

    static async create(projectDir: string, config: Record<string, ConfigValue>, options: StackOptions = {}): Promise<BenchStack> {
        const { binDir } = await ensurePulumiCli();
        const backendDir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-bench-state-"));
        // Cleared so that a developer's own Cloudflare settings never reach a benchmark run.
        const env = {
            ...process.env,
            ...pulumiEnv({ binDir, backendDir, extraBinDirs: options.extraBinDirs }),
            CLOUDFLARE_API_TOKEN: "",
            CLOUDFLARE_API_KEY: "",
            CLOUDFLARE_EMAIL: "",
            CLOUDFLARE_BASE_URL: "",
        };
        const stack = new BenchStack(
            projectDir,
            `bench-${randomBytes(4).toString("hex")}`,
            backendDir,
            binDir,
            env,
            options.roles ?? nodeRoles,
        );
        BenchStack.live.add(stack);
        try {
            await stack.cli(["stack", "init", stack.stackName]);
            const pairs = Object.entries(config).flatMap(([key, { value, secret }]) => [
                secret ? "--secret" : "--plaintext",
                `${key}=${value}`,
            ]);
            await stack.cli(["config", "set-all", ...pairs, "--stack", stack.stackName]);
        } catch (error) {
            await stack.dispose();
            throw error;
        }
        return stack;
    }

    private cli(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
        return runFile(path.join(this.binDir, "pulumi"), [...args, "--non-interactive"], {
            cwd: this.projectDir,
            env: this.env,
            maxBuffer: 64 * 1024 * 1024,
        });
    }

    /** `pulumi preview`, or `pulumi up --yes --skip-preview` (the update alone); `env` is added to the stack's. */
    run(command: StackCommand, requestCount: () => number = () => 0, env: Record<string, string> = {}): Promise<StackRun> {
        const args = command === "preview" ? ["preview"] : ["up", "--yes", "--skip-preview"];
        const startCount = requestCount();
        let firstRequestMs: number | undefined;
        let lastRequestMs: number | undefined;
        let seen = startCount;
        const start = performance.now();
        const child = spawn(path.join(this.binDir, "pulumi"), [...args, "--stack", this.stackName, "--non-interactive"], {
            cwd: this.projectDir,
            env: { ...this.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const watch = watchProcessTree(child.pid as number, this.roles, pollIntervalMs, (elapsed) => {
            const count = requestCount();
            if (count !== seen) {
                firstRequestMs ??= elapsed;
                lastRequestMs = elapsed;
                seen = count;
            }
        });
        let output = "";
        const keep = (chunk: string) => (output = (output + chunk).slice(-20_000));
        child.stdout.setEncoding("utf8").on("data", keep);
        child.stderr.setEncoding("utf8").on("data", keep);
        return new Promise((resolve, reject) => {
            child.on("error", (error) => {
                watch.stop();
                reject(error);
            });
            child.on("close", (code) => {
                const ms = performance.now() - start;
                const seenBy = watch.stop();
                if (code !== 0) {
                    reject(
                        new Error(
                            `pulumi ${args.join(" ")} in ${path.basename(this.projectDir)} exited with ${code}:\n${output.slice(-4000)}`,
                        ),
                    );
                    return;
                }
                resolve({
                    command,
                    ms,
                    providerPeakRssBytes: seenBy.provider.peakRssBytes,
                    programPeakRssBytes: seenBy.program.peakRssBytes,
                    provider: seenBy.provider,
                    program: seenBy.program,
                    requests: requestCount() - startCount,
                    firstRequestMs,
                    lastRequestMs,
                });
            });
        });
    }

    /** The stack's outputs, secrets shown (`pulumi stack output --json --show-secrets`). */
    async outputs(): Promise<Record<string, unknown>> {
        const { stdout } = await this.cli(["stack", "output", "--json", "--show-secrets", "--stack", this.stackName]);
        return JSON.parse(stdout) as Record<string, unknown>;
    }

    /** The checkpoint file of the `file://` backend: what the state of this stack weighs. */
    async checkpointFile(): Promise<string> {
        const stacksDir = path.join(this.backendDir, ".pulumi", "stacks");
        const entries = await fs.readdir(stacksDir, { recursive: true });
        const file = entries.find((e) => e.endsWith(`${this.stackName}.json`));
        if (file === undefined) throw new Error(`no checkpoint for ${this.stackName}`);
        return path.join(stacksDir, file);
    }

    async dispose(): Promise<void> {
        BenchStack.live.delete(this);
        await fs.rm(path.join(this.projectDir, `Pulumi.${this.stackName}.yaml`), { force: true });
        await fs.rm(this.backendDir, { recursive: true, force: true });
    }

    /** Removes what every live stack left (its stack config file, its backend), from a signal handler. */
    static disposeAllSync(): void {
        for (const stack of BenchStack.live) {
            rmSync(path.join(stack.projectDir, `Pulumi.${stack.stackName}.yaml`), { force: true });
            rmSync(stack.backendDir, { recursive: true, force: true });
        }
        BenchStack.live.clear();
    }
}
