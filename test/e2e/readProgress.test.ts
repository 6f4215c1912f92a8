import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import { type LocalStack, createLocalStack, localApiConfig } from "../support/localStack";

jest.setTimeout(10 * 60 * 1000);

// A read long enough to watch: 5,000 users in 50 pages of 100 (the server's largest), each answered after 150 ms.
const fixture = path.join(__dirname, "fixtures", "risk-outputs");
let api: LocalCloudflareApi;
let local: LocalStack;

beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 5_000, maxPerPage: 100, latencyMs: 150 });
    local = await createLocalStack(fixture, localApiConfig(api));
});

afterAll(async () => {
    await local?.dispose();
    await api?.stop();
});

beforeEach(() => api.reset());

/** The provider's messages about the read, in the order the engine sent them. */
function readMessages(events: EngineEvent[]) {
    return events.flatMap((e) => (e.diagnosticEvent?.message.includes("Cloudflare account") ? [e.diagnosticEvent] : []));
}

function expectNoPersonalData(text: string): void {
    const lower = text.toLowerCase();
    const found = api.users().flatMap((u) => [u.email, u.name].filter((value) => lower.includes(value.toLowerCase())));
    expect(found).toEqual([]);
}

describe("a long read in pulumi preview", () => {
    it("shows the pages and users read so far, of how many, and a wait for Retry-After, as the stack's status", async () => {
        // Page 1, then a 429 asking for 2 s on the next request.
        api.failNext([{ kind: "pass" }, { kind: "status", status: 429, retryAfter: "2" }]);
        const events: EngineEvent[] = [];
        let output = "";
        await local.stack.preview({ onEvent: (e) => events.push(e), onOutput: (text) => (output += text) });
        const messages = readMessages(events);
        const texts = messages.map((m) => m.message.trim());
        const account = `Cloudflare account ${api.accountId}`;
        expect(messages.every((m) => m.ephemeral === true && m.severity === "info")).toBe(true);
        // Statuses carry no URN (the provider is not told which resource it reads): the engine shows them on the stack's row.
        expect(messages.every((m) => !m.urn)).toBe(true);
        expect(output).toMatch(
            /pulumi:pulumi:Stack \S+ create Reading the risk scores of Cloudflare account \w+: page 50 of 50, 5,000 of 5,000 users/,
        );
        expect(texts).toContain(`Reading the risk scores of ${account}: page 1 of 50, 100 of 5,000 users`);
        expect(texts.some((t) => /^Reading the risk scores of .*: page ([2-9]|[1-4]\d) of 50, [\d,]+ of 5,000 users$/.test(t))).toBe(true);
        expect(texts.some((t) => /: page \d+ of 50, [\d,]+ of 5,000 users; waiting 2 s \(Retry-After from Cloudflare\)$/.test(t))).toBe(
            true,
        );
        expect(texts).toContain(`Reading the risk scores of ${account}: page 50 of 50, 5,000 of 5,000 users`);
        expect(texts[texts.length - 1]).toBe(`Read the risk scores of ${account}: 5,000 users in 50 pages`);
        expect(texts.length).toBeLessThan(30);
        expectNoPersonalData(JSON.stringify(messages));
        expectNoPersonalData(output);
    });

    it("reports a page size the server refused as a debug message, seen with --debug", async () => {
        api.failNext([{ kind: "refusePerPage" }]);
        const events: EngineEvent[] = [];
        await local.stack.preview({ debug: true, onEvent: (e) => events.push(e) });
        // The engine sends debug messages with --debug; the Automation API's type of `severity` leaves "debug" out.
        const debug = events.flatMap((e) =>
            (e.diagnosticEvent?.severity as string | undefined) === "debug" ? [e.diagnosticEvent!.message] : [],
        );
        const fallback = debug.filter((m) => m.startsWith("cloudflare-risk: "));
        expect(fallback).toHaveLength(1);
        expect(fallback[0]).toContain("per_page=1000 was refused (HTTP 400");
        expect(fallback[0]).toContain("the server's default page size");
        expect(api.requests.length).toBe(2 + 249);
        expectNoPersonalData(fallback.join("\n"));
    });
});
