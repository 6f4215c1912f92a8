import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { secretSignature, secretSignatureKey } from "../../sdk/report/secretEnvelope";
import { withDecompressedBlobs } from "../support/compressedBlobs";
import { type LocalStack, createLocalStack, localApiConfig, repoRoot } from "../support/localStack";
import { rejection } from "../support/rejection";
import { countsOf } from "../support/expectedRisk";

jest.setTimeout(20 * 60 * 1000);

const fixture = path.join(__dirname, "fixtures", "risk-outputs");
let api: LocalCloudflareApi;
let local: LocalStack;

/** What the engine read for each RiskSummary during a preview or update, unfiltered one first. */
function readOutputs(events: EngineEvent[]) {
    return events
        .map((e) => e.resOutputsEvent?.metadata)
        .filter((m) => m?.type === "pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary")
        .map((m) => m!.new!.outputs)
        .sort((a, b) => Object.keys(a.filters).length - Object.keys(b.filters).length);
}

beforeAll(async () => {
    api = await startLocalCloudflareApi();
    local = await createLocalStack(fixture, localApiConfig(api));
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

describe("getRiskSummary through the real Pulumi engine", () => {
    it("preview reads the summary with known values, fetching the account once for three calls", async () => {
        api.resetRequestLog();
        const events: EngineEvent[] = [];
        const preview = await local.stack.preview({ onEvent: (e) => events.push(e) });
        const outputs = readOutputs(events);
        expect(outputs).toHaveLength(2);
        expect(outputs[0]!.counts).toEqual(countsOf(api.users()));
        const logged = /risk counts at preview: (\{.*\})/.exec(preview.stdout);
        expect(JSON.parse(logged![1]!)).toEqual(countsOf(api.users()));
        // 2,000 users in pages of 1,000, the size the client asks for by default.
        expect(api.requests).toHaveLength(2);
    });

    it("up exports every user, the per-level lists and the counts, with personal data secret", async () => {
        const up = await local.stack.up();
        expect(up.summary.result).toBe("succeeded");
        const served = api.users();
        const o = up.outputs;
        expect(o.users!.secret).toBe(true);
        expect(o.highRiskEmails!.secret).toBe(true);
        expect(o.counts).toEqual({ value: countsOf(served), secret: false });
        expect(o.sameCounts!.value).toEqual(countsOf(served));
        expect(o.users!.value).toHaveLength(2000);
        expect(new Set(o.users!.value.map((u: { userId: string }) => u.userId))).toEqual(new Set(served.map((u) => u.user_id)));
        for (const level of ["high", "medium", "low"] as const) {
            const expected = served
                .filter((u) => u.max_risk_level === level)
                .map((u) => u.user_id)
                .sort();
            expect(o[`${level}RiskUsers`]!.value.map((u: { userId: string }) => u.userId).sort()).toEqual(expected);
        }
        expect(o.highRiskEmails!.value).toEqual(
            served
                .filter((u) => u.max_risk_level === "high")
                .map((u) => u.email.toLowerCase())
                .sort(),
        );
        expect(o.highOnlyCount!.value).toBe(countsOf(served).high);
    });

    it("a second up with unchanged data changes nothing, and stores the same serialized provider", async () => {
        const providerText = async () => {
            const { checkpoint } = JSON.parse(await local.checkpoint());
            return checkpoint.latest.resources
                .filter((r: { type: string }) => r.type.endsWith(":RiskSummary"))
                .map((r: { inputs: { __provider: string } }) => r.inputs.__provider);
        };
        const before = await providerText();
        const up = await local.stack.up();
        const changes = up.summary.resourceChanges ?? {};
        expect(Object.keys(changes).filter((op) => op !== "same" && op !== "read")).toEqual([]);
        expect(await providerText()).toEqual(before);
    });

    it("keeps the token and every email out of the state, and the stored provider small", async () => {
        // Compressed lists are opened before searching: compression is not encryption.
        const state = withDecompressedBlobs(await local.allStateText());
        expect(state).not.toContain(api.credentials.apiToken);
        const leaked = api.users().filter((u) => state.includes(u.email));
        expect(leaked).toEqual([]);
        const checkpoint = JSON.parse(await local.checkpoint());
        const resources = checkpoint.checkpoint.latest.resources as {
            type: string;
            inputs: Record<string, unknown>;
            outputs: Record<string, unknown>;
        }[];
        const summaries = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary");
        expect(summaries).toHaveLength(2);
        for (const r of summaries) {
            expect(String(r.inputs.__provider).length).toBeLessThanOrEqual(2048);
            expect(r.outputs.users).toEqual({ [secretSignatureKey]: secretSignature, ciphertext: expect.any(String) });
        }
    });

    it("sees a level change on the server in the next preview and up", async () => {
        const target = api.users().find((u) => u.max_risk_level === "low")!;
        api.setUserLevel(target.email, "high");
        const events: EngineEvent[] = [];
        await local.stack.preview({ onEvent: (e) => events.push(e) });
        expect(readOutputs(events)[0]!.counts).toEqual(countsOf(api.users()));
        const up = await local.stack.up();
        expect(up.outputs.highRiskEmails!.value).toContain(target.email.toLowerCase());
        expect(up.outputs.counts!.value).toEqual(countsOf(api.users()));
    });

    it("pulumi refresh re-reads the summary", async () => {
        const refresh = await local.stack.refresh();
        expect(refresh.summary.result).toBe("succeeded");
    });

    it("a failed read (403, malformed body) fails the preview and the update with the clear error and leaves the state as it was", async () => {
        const before = await local.deployment();
        api.failNext([{ kind: "status", status: 403, times: 2 }]);
        await expect(local.stack.preview()).rejects.toThrow(/HTTP 403.*Zero Trust: PII Read/s);
        await expect(local.stack.up()).rejects.toThrow(/HTTP 403/);
        api.failNext([{ kind: "malformed" }]);
        await expect(local.stack.up()).rejects.toThrow(/not valid JSON/);
        expect(await local.deployment()).toEqual(before);
    });

    it("fails clearly when the API is down, leaving the state as it was", async () => {
        const before = await local.deployment();
        const { port } = api;
        await api.stop();
        try {
            await expect(local.stack.up()).rejects.toThrow(/ECONNREFUSED/);
        } finally {
            api = await startLocalCloudflareApi({ port });
        }
        expect(await local.deployment()).toEqual(before);
    });
});

describe("configuration through the environment", () => {
    let envStack: LocalStack;
    afterAll(() => envStack?.dispose());

    it("reads the token and base URL from CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL", async () => {
        envStack = await createLocalStack(
            fixture,
            { accountId: { value: api.accountId } },
            { CLOUDFLARE_API_TOKEN: api.credentials.apiToken, CLOUDFLARE_BASE_URL: api.baseUrl },
        );
        const up = await envStack.stack.up();
        expect(up.outputs.counts!.value).toEqual(countsOf(api.users()));
    });
});

describe("the root Pulumi.yaml program (examples/risk-summary)", () => {
    let rootStack: LocalStack;
    afterAll(() => rootStack?.dispose());

    it("deploys cleanly against the local API", async () => {
        rootStack = await createLocalStack(repoRoot, {
            accountId: { value: api.accountId },
            "cloudflare:apiToken": { value: api.credentials.apiToken, secret: true },
            "cloudflare:baseUrl": { value: api.baseUrl },
        });
        const up = await rootStack.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.counts!.value).toEqual(countsOf(api.users()));
        expect(up.outputs.highRiskEmails!.secret).toBe(true);
        expect(up.outputs.accessExcludeRules!.value).toHaveLength(countsOf(api.users()).high);
    });
});

describe("bad input fails the preview before any request", () => {
    let badStack: LocalStack;
    afterAll(() => badStack?.dispose());

    it.each([
        ["accountId", "../../zones/0123456789abcdef0123456789abcdef", /Invalid argument "accountId": expected a Cloudflare account id/],
        [
            "cloudflare:apiToken",
            "token with spaces and\ta tab",
            /Invalid argument "cloudflare:apiToken": expected a non-empty string without whitespace or control characters/,
        ],
        [
            "cloudflare:baseUrl",
            "http://api.cloudflare.invalid/client/v4",
            /Invalid argument "cloudflare:baseUrl": plain http is only allowed to a loopback address/,
        ],
    ])("%s = %j", async (key, value, message) => {
        badStack ??= await createLocalStack(fixture, localApiConfig(api));
        const good = localApiConfig(api);
        await badStack.stack.setAllConfig({ ...good, [key]: { value, secret: key === "cloudflare:apiToken" } });
        api.resetRequestLog();
        const error = await rejection(badStack.stack.preview());
        expect(error.message).toMatch(message);
        if (key === "cloudflare:apiToken") expect(error.message).not.toContain(value);
        expect(api.requests).toHaveLength(0);
    });
});
