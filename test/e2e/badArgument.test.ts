import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { type LocalStack, createLocalStack, localApiConfig } from "../support/localStack";
import { processesWithMarker } from "../support/processesWithMarker";

jest.setTimeout(20 * 60 * 1000);

// A bad argument to getRiskSummaryOutput fails inside an apply. On Node 20.19.6 and later,
// @pulumi/pulumi's runner then looped in util.inspect (nodejs/node#64011) for a minute or more
// before printing the error, and the message carried one `error serializing property` prefix per
// resource the failed summary reached. The program fails before any request, so a failing preview
// takes seconds: 30 s is a hang guard, not a speed test.
const hangGuardMs = 30_000;

const fixture = path.join(__dirname, "fixtures", "bad-argument");
let api: LocalCloudflareApi;
let local: LocalStack;

beforeAll(async () => {
    api = await startLocalCloudflareApi();
    // One character lost in a copy and paste: the check fails in the program, inside an apply.
    local = await createLocalStack(fixture, { ...localApiConfig(api), accountId: { value: api.accountId.slice(0, 31) } });
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

/** Runs `pulumi preview` as a user would; interrupts it at `limitMs`, so a hang fails the test instead of stalling it. */
async function preview(limitMs: number) {
    const marker = `RISK_RUN_${randomBytes(6).toString("hex")}`;
    const started = Date.now();
    const child = local.spawnCli(["preview"], { [marker]: "1" });
    let output = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let interrupted = false;
    const guard = setTimeout(() => {
        interrupted = true;
        // Twice: the engine then stops at once rather than waiting for the program.
        child.kill("SIGINT");
        setTimeout(() => child.kill("SIGINT"), 500).unref();
    }, limitMs);
    const code = await exited;
    const ms = Date.now() - started;
    clearTimeout(guard);
    // A program stuck in the loop may outlive the CLI for a moment; it must not keep a CPU busy after the test.
    for (let i = 0; i < 50 && (await processesWithMarker(marker)).length > 0; i++) await sleep(100);
    for (const pid of await processesWithMarker(marker)) process.kill(pid, "SIGKILL");
    return { code, ms, output, interrupted };
}

describe("a bad argument to getRiskSummaryOutput, through the real Pulumi CLI", () => {
    it("fails the preview at once with the argument, the cause and the fix, before any request", async () => {
        api.resetRequestLog();
        const run = await preview(hangGuardMs);
        if (run.interrupted) {
            throw new Error(
                `pulumi preview had not finished after ${hangGuardMs / 1000} s (the util.inspect loop of nodejs/node#64011?); its output:\n${run.output}`,
            );
        }
        expect(run.ms).toBeLessThan(hangGuardMs);
        expect(run.code).not.toBe(0);
        // The argument, the cause and the fix come first, on the line the error starts with.
        expect(run.output).toMatch(
            /RiskSummaryArgumentError: Invalid argument "accountId": expected a Cloudflare account id \(32 hexadecimal characters\), got a string of 31 characters\. Copy the account id from the Cloudflare dashboard/,
        );
        // Pulumi prefixed the message once per resource the failed summary reached (a RiskGate and a
        // RiskTrend here); the line above already rules out a prefix before the argument.
        expect((run.output.match(/error serializing property/g) ?? []).length).toBeLessThanOrEqual(1);
        // Nor the rejected promise Pulumi attaches to the error.
        expect(run.output).not.toMatch(/promise: Promise|\[Circular/);
        expect(run.output).not.toContain(api.credentials.apiToken);
        expect(api.requests).toHaveLength(0);
    });
});
