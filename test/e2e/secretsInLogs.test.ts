import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { withDecompressedBlobs } from "../support/compressedBlobs";
import { type LocalStack, createLocalStack, localApiConfig, repoRoot } from "../support/localStack";

jest.setTimeout(20 * 60 * 1000);

// The trend's state holds every email, so this example exercises both data paths: the summary read
// and a managed resource.
const example = path.join(repoRoot, "examples", "audit-export");
let api: LocalCloudflareApi;
let local: LocalStack;
let logDir: string;

beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 200, seed: 21 });
    local = await createLocalStack(example, localApiConfig(api));
    logDir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-logs-"));
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
    await fs.rm(logDir, { recursive: true, force: true });
});

/** Every text a run left: its output, and whatever it wrote under its own temporary folder (glog files, gRPC logs, traces). */
async function runAndCollect(name: string, args: string[], env: Record<string, string> = {}): Promise<string> {
    const tmp = path.join(logDir, name);
    await fs.mkdir(tmp, { recursive: true });
    const child = local.spawnCli(args, { TMPDIR: tmp, ...env });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect({ name, code, tail: code === 0 ? "" : output.slice(-2000) }).toEqual({ name, code: 0, tail: "" });
    const files = (await fs.readdir(tmp, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const written = await Promise.all(files.map((f) => fs.readFile(path.join(f.parentPath, f.name), "latin1")));
    return [output, ...written].join("\n");
}

/**
 * Pulumi's own tracing of RPC payloads, which prints decrypted values for every provider and program:
 * the Node.js SDK's debug messages about each registration (shown by `--debug`, logged from `-v=3`),
 * and the engine's traces of planner decisions (`-v=7`) and of each marshalled property (`-v=9`).
 */
const upstreamTracing =
    /(ReadResource|RegisterResource|RegisterResourceOutputs) RPC (finished|prepared)|Marshaling property for RPC\[|Planner decided /i;

/**
 * Messages with a secret in them that are not Pulumi's RPC tracing: what this package itself let out.
 * A message starts at an unindented line or at a `debug:`/`info:`/`warning:`/`error:` label; the
 * indented lines after it (how `--debug` wraps a long payload) belong to it.
 */
function ownLeaks(text: string): string[] {
    const messages: string[] = [];
    for (const line of text.split("\n")) {
        const starts = messages.length === 0 || !/^\s/.test(line) || /^\s*(debug|info|warning|error):/.test(line);
        if (starts) messages.push(line);
        else messages[messages.length - 1] += `\n${line}`;
    }
    return messages.filter((m) => !upstreamTracing.test(m) && leaks(m).length > 0).map((m) => m.slice(0, 300));
}

function leaks(logged: string): string[] {
    // Compressed lists are opened before searching: compression is not encryption.
    const text = withDecompressedBlobs(logged);
    const lower = text.toLowerCase();
    const found: string[] = [];
    if (text.includes(api.credentials.apiToken)) found.push("the API token");
    if (text.includes(api.credentials.apiKey)) found.push("the Global API key");
    const emails = api.users().filter((u) => lower.includes(u.email.toLowerCase()));
    if (emails.length > 0) found.push(`${emails.length} emails`);
    return found;
}

describe("no credential or email in any log, at any verbosity", () => {
    const runs: [string, string[], Record<string, string>?][] = [
        ["default", []],
        ["verbose-2", ["--verbose", "2", "--logflow", "--logtostderr"]],
        ["verbose", ["--verbose", "11", "--logflow", "--logtostderr"]],
        ["verbose-to-files", ["--verbose", "11", "--logflow"]],
        ["debug", ["--debug"]],
        ["grpc-and-commands", ["--debug"], { PULUMI_DEBUG_COMMANDS: "true", PULUMI_DEBUG_PROMISE_LEAKS: "true" }],
        ["tracing", ["--tracing", "file://TRACE"]],
    ];

    it.each(runs)("%s: preview and up", async (name, flags, env = {}) => {
        // Each run changes a level, so that every one of them reads and writes personal data.
        const user = api.users()[runs.findIndex((r) => r[0] === name)]!;
        api.setUserLevel(user.user_id, user.max_risk_level === "high" ? "low" : "high");
        const withTrace = (args: string[]) => args.map((a) => a.replace("TRACE", path.join(logDir, `${name}.trace`)));
        const parts: Record<string, string> = {
            preview: await runAndCollect(`${name}-preview`, ["preview", ...withTrace(flags)], env),
            up: await runAndCollect(`${name}-up`, ["up", "--yes", ...withTrace(flags)], env),
            grpcRun: await runAndCollect(`${name}-grpc`, ["preview", ...withTrace(flags)], {
                ...env,
                PULUMI_DEBUG_GRPC: path.join(logDir, `${name}.grpc.json`),
            }),
        };
        // The exceptions, by the engine's design: PULUMI_DEBUG_GRPC and `--tracing` name files that record
        // every message between the engine and its plugins verbatim (decrypted config and read results
        // included, for any provider). They are checked to exist, and documented, not scanned.
        await expect(fs.stat(path.join(logDir, `${name}.grpc.json`))).resolves.toBeTruthy();
        if (flags.includes("--tracing")) await expect(fs.stat(path.join(logDir, `${name}.trace`))).resolves.toBeTruthy();
        const found = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, ownLeaks(v)]));
        expect(found).toEqual(Object.fromEntries(Object.keys(parts).map((k) => [k, []])));
        // Below Pulumi's RPC tracing levels, nothing at all.
        if (name === "default" || name === "verbose-2") expect(leaks(Object.values(parts).join("\n"))).toEqual([]);
    });

    it("with a Global API key and email from the environment, at the highest verbosity", async () => {
        const keyed = await createLocalStack(
            example,
            { accountId: { value: api.accountId }, "cloudflare:baseUrl": { value: api.baseUrl } },
            { CLOUDFLARE_API_KEY: api.credentials.apiKey, CLOUDFLARE_EMAIL: api.credentials.email },
        );
        try {
            const previous = local;
            local = keyed;
            try {
                const text = [
                    await runAndCollect("key-verbose", ["up", "--yes", "--verbose", "11", "--logflow", "--logtostderr"]),
                    await runAndCollect("key-debug", ["preview", "--debug"], { PULUMI_DEBUG_COMMANDS: "true" }),
                ].join("\n");
                expect(text).toContain("risk-trend");
                expect(ownLeaks(text)).toEqual([]);
                // A key from the environment never reaches the engine, so not even its tracing shows it.
                expect(text).not.toContain(api.credentials.apiKey);
                expect(leaks(await keyed.allStateText())).toEqual([]);
            } finally {
                local = previous;
            }
        } finally {
            await keyed.dispose();
        }
    });

    it("and none in the state, its backups and history", async () => {
        expect(leaks(await local.allStateText())).toEqual([]);
    });
});
