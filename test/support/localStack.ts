import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { type ConfigMap, LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { ensurePulumiCli, pulumiCommand, pulumiEnv } from "../../dev/pulumi-cli/pulumiCli";

const runFile = promisify(execFile);

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface LocalStack {
    readonly stack: Stack;
    readonly stackName: string;
    readonly backendDir: string;
    /** The stack's checkpoint as the `file://` backend stores it (secrets encrypted). */
    checkpoint(): Promise<string>;
    /**
     * The deployment as `pulumi stack export --show-secrets` shows it, less the manifest: after a
     * failed update the engine rewrites the checkpoint with a new timestamp and re-encrypts secrets
     * with fresh nonces, even when no value changed.
     */
    deployment(): Promise<unknown>;
    /** Every file the backend holds, concatenated: checkpoint, history and backups. */
    allStateText(): Promise<string>;
    /** Runs the `pulumi` CLI itself on this stack (e.g. `stack export --file f`), as a user would. */
    cli(args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
    /** Starts the CLI on this stack without waiting, e.g. to interrupt it; `env` is added to the stack's. */
    spawnCli(args: readonly string[], env?: Record<string, string>): ChildProcess;
    dispose(): Promise<void>;
}

/**
 * A stack of a real project folder on a fresh `file://` backend, run by the real CLI. The stack
 * name is unique, so its `Pulumi.<stack>.yaml` (ignored by git) never collides with another run.
 */
export async function createLocalStack(projectDir: string, config: ConfigMap, env: Record<string, string> = {}): Promise<LocalStack> {
    const { binDir } = await ensurePulumiCli();
    const backendDir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-state-"));
    const stackName = `e2e-${randomBytes(4).toString("hex")}`;
    // Cleared so that a developer's own Cloudflare settings never leak into a test run.
    const cleared = { CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_API_KEY: "", CLOUDFLARE_EMAIL: "", CLOUDFLARE_BASE_URL: "" };
    const envVars = { ...pulumiEnv({ binDir, backendDir }), ...cleared, ...env };
    const stack = await LocalWorkspace.createStack({ stackName, workDir: projectDir }, { pulumiCommand: await pulumiCommand(), envVars });
    await stack.setAllConfig(config);
    const stacksDir = path.join(backendDir, ".pulumi", "stacks");
    const checkpointFile = async () => {
        const entries = await fs.readdir(stacksDir, { recursive: true });
        const file = entries.find((e) => e.endsWith(`${stackName}.json`));
        if (file === undefined) throw new Error(`no checkpoint for ${stackName} under ${stacksDir}`);
        return path.join(stacksDir, file);
    };
    return {
        stack,
        stackName,
        backendDir,
        checkpoint: async () => fs.readFile(await checkpointFile(), "utf8"),
        deployment: async () => {
            const { manifest, ...rest } = (await stack.exportStack()).deployment;
            void manifest;
            return rest;
        },
        allStateText: async () => {
            const entries = await fs.readdir(path.join(backendDir, ".pulumi"), { recursive: true, withFileTypes: true });
            const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
            return (await Promise.all(files.map((f) => fs.readFile(f, "utf8")))).join("\n");
        },
        spawnCli: (args, extraEnv = {}) =>
            spawn(path.join(binDir, "pulumi"), [...args, "--stack", stackName, "--non-interactive"], {
                cwd: projectDir,
                env: { ...process.env, ...envVars, ...extraEnv },
                stdio: ["ignore", "pipe", "pipe"],
            }),
        cli: (args) =>
            runFile(path.join(binDir, "pulumi"), [...args, "--stack", stackName, "--non-interactive"], {
                cwd: projectDir,
                env: { ...process.env, ...envVars },
            }),
        dispose: async () => {
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
            await fs.rm(path.join(projectDir, `Pulumi.${stackName}.yaml`), { force: true });
            await fs.rm(backendDir, { recursive: true, force: true });
        },
    };
}

/** The stack config that points a program at the embedded API: its account, token (secret) and base URL. */
export function localApiConfig(api: { accountId: string; baseUrl: string; credentials: { apiToken: string } }): ConfigMap {
    return {
        accountId: { value: api.accountId },
        "cloudflare:apiToken": { value: api.credentials.apiToken, secret: true },
        "cloudflare:baseUrl": { value: api.baseUrl },
    };
}
