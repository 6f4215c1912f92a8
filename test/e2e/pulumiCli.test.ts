/**
 * Proves the toolchain the other e2e tests stand on: the Pulumi CLI from dev/scripts/setup-pulumi.sh,
 * our language host, the dynamic-provider host and the Automation API, against a `file://`
 * backend. It also pins down the engine behaviours the data source relies on:
 *  - a resource read with `opts.id` is read during preview, with known values;
 *  - a dynamic provider's configure() sees the whole stack config, other namespaces included;
 *  - secrets stay encrypted in the state.
 *
 * The first run on a machine may build the CLI (a few minutes), hence the long timeout.
 */
import * as crypto from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { ensurePulumiCli, pulumiCommand, pulumiEnv } from "../../dev/pulumi-cli/pulumiCli";

jest.setTimeout(20 * 60 * 1000);

const repoRoot = path.resolve(__dirname, "..", "..");
const fixture = path.join(__dirname, "fixtures", "smoke");

const API_TOKEN = "smoke-api-token-value";
const SECRET_THING = "smoke-secret-thing-value";

/** Same digest as the fixture's provider: proves a value arrived without exposing it. */
function fingerprint(value: string): string {
    return crypto.createHash("sha256").update(value).digest("hex").slice(0, 12);
}

async function filesUnder(dir: string): Promise<string[]> {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const expectedSeen = { apiToken: fingerprint(API_TOKEN), secretThing: fingerprint(SECRET_THING), plain: "plain-value" };

describe("Pulumi CLI built by dev/scripts/setup-pulumi.sh", () => {
    let workDir: string;
    let backendDir: string;
    let stack: Stack;
    let destroyed = false;

    beforeAll(async () => {
        const { binDir } = await ensurePulumiCli();
        workDir = await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-cli-smoke-"));

        // A copy, so the stack's config file (Pulumi.<stack>.yaml) never lands in the repository;
        // the node_modules link lets the program, the harness and the dynamic-provider host all
        // resolve the repository's @pulumi/pulumi.
        const programDir = path.join(workDir, "smoke");
        await fs.cp(fixture, programDir, { recursive: true });
        await fs.symlink(path.join(repoRoot, "node_modules"), path.join(programDir, "node_modules"), "dir");
        backendDir = path.join(workDir, "state");
        await fs.mkdir(backendDir);

        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "smoke", workDir: programDir },
            { pulumiCommand: await pulumiCommand(), envVars: pulumiEnv({ binDir, backendDir }) },
        );
        await stack.setAllConfig({
            "cloudflare:apiToken": { value: API_TOKEN, secret: true },
            secretThing: { value: SECRET_THING, secret: true },
            plain: { value: "plain-value" },
        });
    });

    afterAll(async () => {
        if (stack) {
            if (!destroyed) {
                await stack.destroy().catch(() => undefined);
            }
            await stack.workspace.removeStack("smoke").catch(() => undefined);
        }
        if (workDir) {
            await fs.rm(workDir, { recursive: true, force: true });
        }
    });

    test("reports the pinned @pulumi/pulumi version", async () => {
        const pinned = require("@pulumi/pulumi/package.json").version;
        expect((await ensurePulumiCli()).version).toBe(pinned);
        expect((await stack.workspace.pulumiCommand).version?.toString()).toBe(pinned);
    });

    test("preview reads the existing resource with known values", async () => {
        const events: EngineEvent[] = [];
        const preview = await stack.preview({ onEvent: (e) => events.push(e) });

        const readOutputs = events.map((e) => e.resOutputsEvent?.metadata).find((m) => m?.op === "read" && m.urn.endsWith("::read"))
            ?.new?.outputs;
        expect(readOutputs).toMatchObject({ name: "lookup", value: "read:existing-42", seen: expectedSeen });

        const messages = events.map((e) => e.diagnosticEvent?.message ?? "");
        expect(messages).toContainEqual(expect.stringContaining("read value at preview: read:existing-42"));
        expect(preview.stdout).toMatch(/readValue\s*:\s*"read:existing-42"/);
        expect(preview.changeSummary).toMatchObject({ create: 2 });
    });

    test("up creates, reads, and hands the whole stack config to the dynamic provider", async () => {
        const up = await stack.up();

        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.greeting).toEqual({ value: "hello world", secret: false });
        expect(up.outputs.readValue).toEqual({ value: "read:existing-42", secret: false });
        // configure() saw a key of another package (cloudflare:), the project's own secret and a
        // plain value, for created and read resources alike.
        expect(up.outputs.createdSeen.value).toEqual(expectedSeen);
        expect(up.outputs.readSeen.value).toEqual(expectedSeen);
        // And the program itself received config through the language host.
        expect(up.outputs.plainFromProgram).toEqual({ value: "plain-value", secret: false });
        expect(up.outputs.secretFromProgram).toEqual({ value: SECRET_THING, secret: true });
    });

    test("state keeps the read resource's given inputs and never the plaintext secrets", async () => {
        // The backend's files (checkpoint, history, backups), not exportStack(): the Automation
        // API exports with --show-secrets.
        for (const file of await filesUnder(path.join(backendDir, ".pulumi"))) {
            const text = await fs.readFile(file, "utf8");
            expect({ file, hasToken: text.includes(API_TOKEN), hasSecret: text.includes(SECRET_THING) }).toEqual({
                file,
                hasToken: false,
                hasSecret: false,
            });
        }

        const state = await stack.exportStack();
        const resources: any[] = state.deployment.resources;
        const read = resources.find((r) => r.urn.endsWith("pulumi-nodejs:dynamic:Resource::read"));
        expect(read).toMatchObject({ id: "existing-42", external: true });
        expect(Object.keys(read.inputs).sort()).toEqual(["__provider", "name"]);
        expect(read.outputs).toMatchObject({ name: "lookup", value: "read:existing-42" });

        // The default dynamic provider is configured with every stack key, secrets still marked
        // as secrets (shown decrypted only because of --show-secrets).
        const provider = resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
        expect(Object.keys(provider.inputs).sort()).toEqual(["cloudflare:apiToken", "smoke:plain", "smoke:secretThing"]);
        expect(provider.inputs["cloudflare:apiToken"]).toEqual(expect.objectContaining({ plaintext: JSON.stringify(API_TOKEN) }));
    });

    test("destroy removes everything it created", async () => {
        const destroy = await stack.destroy();
        destroyed = true;
        expect(destroy.summary.result).toBe("succeeded");
        const state = await stack.exportStack();
        expect(state.deployment.resources ?? []).toEqual([]);
    });
});
