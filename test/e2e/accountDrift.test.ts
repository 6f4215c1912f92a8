import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { type LocalStack, createLocalStack, localApiConfig } from "../support/localStack";
import { rejection } from "../support/rejection";
import { countsOf } from "../support/expectedRisk";

jest.setTimeout(20 * 60 * 1000);

// 2,000 users in pages of 200 (the server's largest): a read is 10 requests, 8 at a time.
const pages = 10;
const fixture = path.join(__dirname, "fixtures", "risk-outputs");
let api: LocalCloudflareApi;
let local: LocalStack;

function readCounts(events: EngineEvent[]) {
    return events
        .map((e) => e.resOutputsEvent?.metadata)
        .filter((m) => m?.type === "pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary" && Object.keys(m.new!.outputs!.filters).length === 0)
        .map((m) => m!.new!.outputs!.counts);
}

beforeAll(async () => {
    api = await startLocalCloudflareApi({ maxPerPage: 200 });
    local = await createLocalStack(fixture, localApiConfig(api));
    const up = await local.stack.up();
    expect(up.summary.result).toBe("succeeded");
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

beforeEach(() => api.reset());

describe("an account that changes while pulumi reads it, through the real Pulumi CLI", () => {
    it("preview reads again from page 1 when a user moves to an earlier page mid-read, and shows the account as it then is", async () => {
        // After the second page is served, the last user (on page 10) moves to the front at high risk.
        api.driftNext([{ op: "none" }, { op: "move", level: "high" }]);
        const events: EngineEvent[] = [];
        await local.stack.preview({ onEvent: (e) => events.push(e) });
        const after = api.users();
        expect(after[0]!.max_risk_level).toBe("high");
        expect(readCounts(events)).toEqual([countsOf(after)]);
        // One read that saw the move, one that did not: page 1 twice, every page twice.
        expect(api.requests).toHaveLength(2 * pages);
        expect(api.requests.filter((r) => r.page === 1)).toHaveLength(2);
    });

    it("a preview and an update of an account that changes on every request fail with the typed error and leave the state as it was", async () => {
        const before = await local.deployment();
        api.driftNext([{ op: "move", times: 1_000 }]);
        const preview = await rejection(local.stack.preview());
        expect(preview.message).toContain("InconsistentReadError");
        expect(preview.message).toMatch(
            /the account's risk summary changed while it was being read, 3 times in a row \(\d+ pages requested; read 1: /,
        );
        expect(preview.message).toContain("nothing was returned or stored, and the previous state stays as it was");
        expect(preview.message).toContain("`perPage`");
        expect(preview.message).not.toContain(api.credentials.apiToken);
        // Three reads from page 1, none of which saw one state of the account.
        expect(api.requests.filter((r) => r.page === 1)).toHaveLength(3);
        expect(api.requests.length).toBeLessThanOrEqual(3 * pages);

        const up = await rejection(local.stack.up());
        expect(up.message).toContain("InconsistentReadError");
        expect(await local.deployment()).toEqual(before);
        expect(await local.allStateText()).not.toContain(api.credentials.apiToken);
    });
});
