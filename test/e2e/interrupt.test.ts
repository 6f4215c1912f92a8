import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { type LocalStack, createLocalStack, localApiConfig, repoRoot } from "../support/localStack";
import { processesWithMarker } from "../support/processesWithMarker";

jest.setTimeout(20 * 60 * 1000);

// A program with a read (the summary) and a managed resource (the trend), so that an interrupted
// run could leave both a half-read and a half-created resource behind.
const example = path.join(repoRoot, "examples", "audit-export");
let api: LocalCloudflareApi;
let local: LocalStack;

beforeAll(async () => {
    // Slow pages, so that the interrupt lands in the middle of the read.
    api = await startLocalCloudflareApi({ size: 2000, seed: 3, latencyMs: 2000 });
    local = await createLocalStack(example, localApiConfig(api));
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

async function waitFor(condition: () => boolean, what: string, ms = 60_000) {
    const until = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
    }
}

/** Starts `pulumi up`, interrupts it with `signals` once the read has begun, and waits for the CLI to exit. */
async function interruptedUp(signals: number) {
    const marker = `RISK_RUN_${randomBytes(6).toString("hex")}`;
    api.resetRequestLog();
    const child = local.spawnCli(["up", "--yes", "--skip-preview"], { [marker]: "1" });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor(() => api.requests.length > 0, "the first API request");
    for (let i = 0; i < signals; i++) {
        child.kill("SIGINT");
        await sleep(200);
    }
    const code = await exited;
    // Children must not outlive the CLI.
    let leftovers: number[] = [];
    for (let i = 0; i < 50; i++) {
        leftovers = await processesWithMarker(marker);
        if (leftovers.length === 0) break;
        await sleep(100);
    }
    return { code, output, leftovers, requests: api.requests.length };
}

describe("a run interrupted mid-fetch", () => {
    it("SIGINT (cancel) stops the run; no process is left; the next up completes without repair", async () => {
        api.setLatency(400);
        const run = await interruptedUp(1);
        // The engine lets the step in progress (the read) finish, then cancels the rest.
        expect(run.code).not.toBe(0);
        expect(run.output).toMatch(/cancel/i);
        expect(run.leftovers).toEqual([]);
        api.setLatency(0);
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.counts!.value.total).toBe(2000);
        const exported = await local.stack.exportStack();
        expect(exported.deployment.pending_operations ?? []).toEqual([]);
    });

    it("a second SIGINT (terminate, mid-read) also leaves a state the next up completes from", async () => {
        api.setLatency(400);
        const run = await interruptedUp(2);
        expect(run.code).not.toBe(0);
        expect(run.requests).toBeLessThan(100);
        expect(run.leftovers).toEqual([]);
        api.setLatency(0);
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.counts!.value.total).toBe(2000);
        const preview = await local.stack.preview();
        expect(preview.changeSummary?.same).toBeGreaterThan(0);
    });
});
