/**
 * Access to a real Pulumi CLI for the e2e tests and the demo.
 *
 * The CLI comes from dev/scripts/setup-pulumi.sh: an installed `pulumi` of the pinned version when
 * there is one, otherwise a build from the Go module proxy cached outside the clone (minutes the
 * first time, milliseconds afterwards). Everything here keeps runs local: state in a `file://`
 * backend, a private PULUMI_HOME, no update checks and no plugin downloads.
 *
 * The version defaults to the installed @pulumi/pulumi's; PULUMI_CLOUDFLARE_RISK_CLI_VERSION or an
 * argument picks another (npm and the Go module proxy need not hold the same newest version, so an
 * SDK may run with a CLI of another version). A Node.js of another major comes from
 * dev/scripts/setup-node.sh through `ensureNode`.
 */
import { spawn, execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { PulumiCommand } from "@pulumi/pulumi/automation";

export interface PulumiCli {
    /** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
    binDir: string;
    /** What `pulumi version` reports, without the leading "v" (e.g. "3.248.0"). */
    version: string;
}

export interface NodeRuntime {
    /** Directory holding `node`. */
    binDir: string;
    /** What `node --version` reports, without the leading "v" (e.g. "24.22.3"). */
    version: string;
}

export interface PulumiEnvOptions {
    binDir: string;
    /** A `ensureNode().binDir`, so that programs and providers run on that Node.js. */
    nodeBinDir?: string;
    /** More directories the engine should find executables in, e.g. `ensureYamlLanguageHost().binDir`. */
    extraBinDirs?: readonly string[];
    /** Where the `file://` backend keeps stack state; created by the caller. */
    backendDir: string;
    /** Encrypts the stack's secrets in the local state. */
    passphrase?: string;
    /** PULUMI_HOME (plugins, workspace settings); defaults to `<backendDir>/.pulumi-home`. */
    home?: string;
}

/**
 * Local stacks only ever hold test and demo data, so a well-known passphrase is enough; it still
 * keeps secrets encrypted in the state file, which is what the tests check.
 */
export const DEFAULT_PASSPHRASE = "pulumi-cloudflare-risk-local";

const clis = new Map<string, Promise<PulumiCli>>();
const nodes = new Map<string, Promise<NodeRuntime>>();

/** The CLI version asked for by the environment, or undefined for the installed SDK's. */
function defaultCliVersion(): string | undefined {
    return process.env.PULUMI_CLOUDFLARE_RISK_CLI_VERSION?.trim() || undefined;
}

/**
 * Runs dev/scripts/setup-pulumi.sh once per process and version; later calls share the result.
 * `version` ("3.277.0") defaults to PULUMI_CLOUDFLARE_RISK_CLI_VERSION, else the installed SDK's.
 */
export function ensurePulumiCli(version: string | undefined = defaultCliVersion()): Promise<PulumiCli> {
    return once(clis, version ?? "", () => setUpPulumiCli(version));
}

/**
 * Runs dev/scripts/setup-node.sh once per process and request: a `node` of that major (24) or exact
 * version (24.22.3), the one on PATH when it matches, else one cached outside the clone.
 */
export function ensureNode(version: number | string): Promise<NodeRuntime> {
    return once(nodes, String(version), () => setUpNode(String(version)));
}

function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (!pending) {
        pending = make().catch((err: unknown) => {
            cache.delete(key); // let a later call retry rather than caching the failure
            throw err;
        });
        cache.set(key, pending);
    }
    return pending;
}

/**
 * The environment overrides for running the CLI, to be merged over `process.env` (the Automation
 * API's `envVars` does that itself; for child_process use `{ ...process.env, ...pulumiEnv(...) }`).
 */
export function pulumiEnv(opts: PulumiEnvOptions): Record<string, string> {
    const backendDir = path.resolve(opts.backendDir);
    return {
        PATH: pulumiPath(opts),
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? DEFAULT_PASSPHRASE,
        PULUMI_HOME: path.resolve(opts.home ?? path.join(backendDir, ".pulumi-home")),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // No network here; fail fast instead of trying to download a missing plugin.
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
}

/** The PATH of `pulumiEnv`, for a caller that sets up the rest of the environment itself. */
export function pulumiPath(opts: Pick<PulumiEnvOptions, "binDir" | "nodeBinDir" | "extraBinDirs">): string {
    // binDir first: the engine prefers plugins on PATH over those next to `pulumi`. It holds no
    // `node`, so the Node.js directory after it still wins over the one on PATH.
    return [opts.binDir, ...(opts.extraBinDirs ?? []), opts.nodeBinDir, process.env.PATH].filter(Boolean).join(path.delimiter);
}

/** A `PulumiCommand` for the Automation API (`LocalWorkspace` options) bound to this CLI. */
export async function pulumiCommand(version?: string): Promise<PulumiCommand> {
    const { binDir } = await ensurePulumiCli(version);
    const { PulumiCommand: Command } = await import("@pulumi/pulumi/automation");
    // PulumiCommand.get takes an install root and runs <root>/bin/pulumi. A CLI found on PATH in
    // some other layout is the one `pulumi` resolves to anyway. (The version was already matched
    // to the SDK by setup-pulumi.sh; get() still checks the SDK's minimum.)
    return path.basename(binDir) === "bin" ? Command.get({ root: path.dirname(binDir) }) : Command.get();
}

async function setUpPulumiCli(version: string | undefined): Promise<PulumiCli> {
    const binDir = await runSetupScript("setup-pulumi.sh", version === undefined ? [] : [version], "pulumi");
    const { stdout: reported } = await promisify(execFile)(path.join(binDir, "pulumi"), ["version"], {
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    const cli = { binDir, version: reported.trim().replace(/^v/, "") };
    if (version !== undefined && cli.version !== version.replace(/^v/, "")) {
        throw new Error(`setup-pulumi.sh ${version} provided pulumi ${cli.version}`);
    }
    return cli;
}

async function setUpNode(version: string): Promise<NodeRuntime> {
    const binDir = await runSetupScript("setup-node.sh", [version], "node");
    const { stdout: reported } = await promisify(execFile)(path.join(binDir, "node"), ["--version"]);
    return { binDir, version: reported.trim().replace(/^v/, "") };
}

/** Runs dev/scripts/<name> and returns the directory on its last stdout line, checked to hold `executable`. */
export async function runSetupScript(name: string, args: string[], executable: string): Promise<string> {
    const script = path.join(findRepoRoot(), "dev", "scripts", name);
    const stdout = await new Promise<string>((resolve, reject) => {
        // stderr is inherited: a first-time build takes minutes and its progress should be visible.
        const child = spawn("bash", [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} failed with exit code ${code}`))));
    });
    const binDir = stdout.trim().split("\n").pop()?.trim() ?? "";
    if (!binDir || !fs.existsSync(path.join(binDir, executable))) {
        throw new Error(`${script} did not print a directory containing ${executable} (got '${binDir}')`);
    }
    return binDir;
}

/** Works from the sources (ts-jest) and from the compiled dist/dev/ alike. */
function findRepoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "dev", "scripts", "setup-pulumi.sh"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`dev/scripts/setup-pulumi.sh not found above ${__dirname}`);
        }
    }
}
