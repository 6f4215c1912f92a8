import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ensureNode, ensurePulumiCli, pulumiEnv } from "../../dev/pulumi-cli/pulumiCli";
import { ensureYamlLanguageHost } from "../../dev/pulumi-cli/yamlLanguageHost";
import { repoRoot } from "./localStack";

const runFile = promisify(execFile);

/** A Node.js, `@pulumi/pulumi` and Pulumi CLI that users run together. */
export interface VersionRow {
    readonly node: number;
    readonly pulumiSdk: string;
    readonly pulumiCli: string;
}

/**
 * The rows the consumer tests run on: the oldest versions the package supports, then the newest
 * `@pulumi/pulumi` on npm (3.276.0) with the newest CLI the Go module proxy serves (3.277.0), on
 * Node.js 24 and on Node.js 26. The last two rows share one CLI on purpose: each CLI is a build of
 * minutes, and CI builds two.
 */
export const versionRows: readonly VersionRow[] = [
    { node: 20, pulumiSdk: "3.248.0", pulumiCli: "3.248.0" },
    { node: 24, pulumiSdk: "3.276.0", pulumiCli: "3.277.0" },
    { node: 26, pulumiSdk: "3.276.0", pulumiCli: "3.277.0" },
];

export const rowName = (row: VersionRow) => `Node ${row.node}, @pulumi/pulumi ${row.pulumiSdk}, CLI ${row.pulumiCli}`;

export interface CommandResult {
    readonly stdout: string;
    readonly stderr: string;
}

/** A command failed: its output is in the message, since that is what a person debugging needs. */
export class ConsumerCommandError extends Error {
    constructor(
        readonly command: string,
        readonly stdout: string,
        readonly stderr: string,
        readonly exitCode: unknown,
    ) {
        super(`${command} failed (exit ${String(exitCode)}):\n${stdout}\n${stderr}`);
        this.name = "ConsumerCommandError";
    }
}

/** Everything a user's shell has, less what `npm test` and jest add and any Cloudflare setting. */
function userEnvironment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (value === undefined || /^(npm_|NODE_|JEST_|CLOUDFLARE_|PULUMI_)/.test(key) || key === "INIT_CWD") continue;
        env[key] = value;
    }
    // `npm test` puts the repo's node_modules/.bin first; a user's PATH does not have it.
    env.PATH = (env.PATH ?? "")
        .split(path.delimiter)
        .filter((dir) => dir !== "" && !path.resolve(dir).startsWith(repoRoot + path.sep))
        .join(path.delimiter);
    return env;
}

async function run(
    file: string,
    args: readonly string[],
    cwd: string,
    env: Record<string, string>,
    timeoutMs = 10 * 60_000,
): Promise<CommandResult> {
    try {
        const { stdout, stderr } = await runFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
        return { stdout, stderr };
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string; code?: unknown; signal?: unknown };
        throw new ConsumerCommandError(`${path.basename(file)} ${args.join(" ")}`, e.stdout ?? "", e.stderr ?? "", e.code ?? e.signal);
    }
}

/** A folder outside the repository, removed by `removeScratch`. */
export async function makeScratch(prefix: string): Promise<string> {
    const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
    if (dir.startsWith(repoRoot + path.sep)) throw new Error(`${dir} is inside the repository`);
    return dir;
}

export async function removeScratch(dir: string | undefined): Promise<void> {
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
}

/** `npm pack` of the built repository (the test command builds first), as published; returns the tarball's path and files. */
export async function packTarball(destination: string): Promise<{ tarball: string; files: readonly string[] }> {
    await fs.access(path.join(repoRoot, "dist", "index.js")).catch(() => {
        throw new Error("dist/ is missing: run `npm run build` (npm test does) before the consumer tests");
    });
    // --ignore-scripts: no prepack build here, which would rewrite dist/ under the tests running beside this one.
    const { stdout } = await run(
        "npm",
        ["pack", "--json", "--ignore-scripts", "--pack-destination", destination],
        repoRoot,
        userEnvironment(),
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (packed === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
    return { tarball: path.join(destination, packed.filename), files: packed.files.map((f) => f.path) };
}

export interface ConsumerProject {
    /** Where the project is now; `moveTo` changes it. */
    readonly dir: string;
    readonly stackName: string;
    /** Runs `npm install` of these specs (tarball paths or name@version) in the project. */
    npmInstall(specs: readonly string[]): Promise<CommandResult>;
    npm(args: readonly string[]): Promise<CommandResult>;
    /** Runs one of the project's own `node_modules/.bin` tools, e.g. `tsc`. */
    bin(name: string, args: readonly string[]): Promise<CommandResult>;
    /** Runs `node` of the row. */
    node(args: readonly string[]): Promise<CommandResult>;
    /** Runs the CLI of the row on the project's stack (`--stack` and `--non-interactive` added). */
    pulumi(args: readonly string[], env?: Record<string, string>): Promise<CommandResult>;
    /** The stack's checkpoint file as the `file://` backend stores it. */
    checkpoint(): Promise<string>;
    /** Renames the project folder, as a re-clone at another path would give. */
    moveTo(dir: string): Promise<void>;
}

/**
 * A user's project: the files of `fixtures/consumer/<template>` copied to `dir`, a `package.json` of
 * its own, and a stack on a `file://` backend in `backendDir`, run with the row's Node.js and CLI.
 */
export async function createConsumerProject(options: {
    template: "cjs" | "esm" | "yaml";
    dir: string;
    backendDir: string;
    row: VersionRow;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
}): Promise<ConsumerProject> {
    const { row } = options;
    const [cli, nodeRuntime, yamlHost] = await Promise.all([
        ensurePulumiCli(row.pulumiCli),
        ensureNode(row.node),
        options.template === "yaml" ? ensureYamlLanguageHost() : undefined,
    ]);
    if (Number(nodeRuntime.version.split(".")[0]) !== row.node) throw new Error(`asked for Node ${row.node}, got ${nodeRuntime.version}`);
    await fs.cp(path.join(repoRoot, "test", "e2e", "fixtures", "consumer", options.template), options.dir, { recursive: true });
    const manifest = {
        name: `risk-consumer-${options.template}`,
        private: true,
        ...(options.template === "esm" ? { type: "module", main: "index.js" } : options.template === "cjs" ? { main: "index.ts" } : {}),
        dependencies: options.dependencies,
        devDependencies: options.devDependencies ?? {},
    };
    await fs.writeFile(path.join(options.dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    await fs.mkdir(options.backendDir, { recursive: true });

    let dir = options.dir;
    const stackName = "dev";
    const base = userEnvironment();
    const env = () => ({
        ...base,
        ...pulumiEnv({
            binDir: cli.binDir,
            nodeBinDir: nodeRuntime.binDir,
            extraBinDirs: yamlHost === undefined ? [] : [yamlHost.binDir],
            backendDir: options.backendDir,
        }),
    });
    const pulumiBin = path.join(cli.binDir, "pulumi");
    const project: ConsumerProject = {
        get dir() {
            return dir;
        },
        stackName,
        npmInstall: (specs) => run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs], dir, base),
        npm: (args) => run("npm", [...args], dir, base),
        bin: (name, args) => run(path.join(dir, "node_modules", ".bin", name), args, dir, env()),
        node: (args) => run(path.join(nodeRuntime.binDir, "node"), args, dir, env()),
        pulumi: (args, extra = {}) => run(pulumiBin, [...args, "--stack", stackName, "--non-interactive"], dir, { ...env(), ...extra }),
        checkpoint: async () => {
            const stacksDir = path.join(options.backendDir, ".pulumi", "stacks");
            const entries = await fs.readdir(stacksDir, { recursive: true });
            const file = entries.find((e) => e.endsWith(`${stackName}.json`));
            if (file === undefined) throw new Error(`no checkpoint under ${stacksDir}`);
            return fs.readFile(path.join(stacksDir, file), "utf8");
        },
        moveTo: async (to) => {
            await fs.mkdir(path.dirname(to), { recursive: true });
            await fs.rename(dir, to);
            dir = to;
        },
    };
    await run(pulumiBin, ["stack", "init", stackName, "--non-interactive"], dir, env());
    return project;
}
