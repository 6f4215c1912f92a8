import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { RiskSummaryArgumentError } from "../../provider/arguments/errors";
import { fetchRiskSummary } from "../../provider/summary/fetchRiskSummary";
import { setSharedRequestLimits } from "../../provider/client/limiter";
import { RiskGate, RiskTrend, getRiskSummary, resetRiskSummaryCalls } from "../../index";
import { accountId, apiToken, mockCloudflare } from "../support/mockCloudflare";
import { setRiskSummaryMocks } from "../support/riskSummaryMocks";

// Every argument of every public function, with the kinds of bad value a program (or a pasted value)
// can hold. Each must fail with a RiskSummaryArgumentError naming the argument, before any request.

const huge = "x".repeat(1_000_000);
const secretLooking = "cf-token-0123456789abcdefghijklmnopqrstuvwxyz";
const wrongTypes: [string, unknown][] = [
    ["a number", 42],
    ["an object", { a: 1 }],
    ["an array", ["a"]],
    ["null", null],
    ["a boolean", true],
];
const strings: [string, unknown][] = [
    ["an empty string", ""],
    ["a huge string", huge],
    ["control characters", "abc\u0000\r\nX-Injected: 1"],
];

type Case = [argument: string, label: string, value: unknown, expectedArgument?: string];

const cases: Case[] = [
    ...[...wrongTypes, ...strings].map(([label, value]): Case => ["accountId", label, value]),
    ["accountId", "a path trick", "../../../zones"],
    ["accountId", "an encoded path trick", "%2e%2e%2f%2e%2e%2f0123456789abcdef"],
    ["accountId", "an id followed by a path", `${accountId}/../x`],
    ["accountId", "a query smuggled in", `${accountId}?page=2`],
    ["accountId", "a token pasted by mistake", secretLooking],
    ...[...wrongTypes.filter(([l]) => l !== "null"), ...strings].map(([label, value]): Case => ["apiToken", label, value]),
    ["apiToken", "whitespace inside", "abc def"],
    ...[...wrongTypes.filter(([l]) => l !== "null"), ...strings].map(([label, value]): Case => ["baseUrl", label, value]),
    ["baseUrl", "plain http to a remote host", "http://api.cloudflare.invalid/client/v4"],
    ["baseUrl", "credentials in the URL", "https://user:pass@api.cloudflare.invalid/client/v4"],
    ["baseUrl", "a query", "https://api.cloudflare.invalid/client/v4?x=1"],
    ["baseUrl", "not a URL", "api.cloudflare.invalid"],
    ...[...wrongTypes.filter(([l]) => l !== "null"), ...strings].map(([label, value]): Case => ["minRiskLevel", label, value]),
    ["minRiskLevel", "an unknown level", "critical"],
    ["minRiskLevel", "a level in the wrong case", "HIGH"],
    ...[...wrongTypes.filter(([l]) => l !== "null" && l !== "an array"), ...strings].map(([label, value]): Case => [
        "lastEventSince",
        label,
        value,
    ]),
    ["lastEventSince", "a date without a zone", "2026-01-31T00:00:00"],
    ["lastEventSince", "not a date", "yesterday"],
    ["emailDomains", "an empty array", []],
    ["emailDomains", "a string, not an array", "example.com"],
    ["emailDomains", "a wildcard", ["*.example.com"], "emailDomains[0]"],
    ["emailDomains", "an email, not a domain", ["a@example.com"], "emailDomains[0]"],
    ["emailDomains", "a huge entry", ["example.com", huge], "emailDomains[1]"],
    ["emailDomains", "control characters", ["exa\u0000mple.com"], "emailDomains[0]"],
    ...(["timeoutMs", "maxRetries", "concurrency", "perPage", "maxResponseBytes"] as const).flatMap((name): Case[] => [
        [name, "a string", "10"],
        [name, "a negative number", -1],
        [name, "a fraction", 1.5],
        [name, "NaN", Number.NaN],
        [name, "a huge number", Number.MAX_SAFE_INTEGER],
    ]),
    ["apiKey", "a key without its email", "0123456789abcdef0123456789abcdef01234", "email"],
    ["email", "an email without its key", "admin@example.com", "apiKey"],
    ["minRiskLvl", "a misspelt argument", "high"],
];

/** Conflicting credentials: each source's own consistency is checked, whatever else is set. */
const conflicts: [string, Record<string, unknown>, string][] = [
    ["a token and a key", { apiToken, apiKey: "0123456789abcdef0123456789abcdef01234", email: "admin@example.com" }, "apiToken"],
];

let mocked: ReturnType<typeof mockCloudflare>;
const originalDispatcher = getGlobalDispatcher();

beforeAll(() => {
    setRiskSummaryMocks({ project: "bad-input" });
});

beforeEach(() => {
    setSharedRequestLimits({});
    resetRiskSummaryCalls();
    mocked = mockCloudflare([]);
    setGlobalDispatcher(mocked.agent);
});

afterAll(() => setGlobalDispatcher(originalDispatcher));

function argsWith(argument: string, value: unknown): Record<string, unknown> {
    // Half a Global API key is checked on its own, without a token beside it.
    return argument === "apiKey" || argument === "email" ? { accountId, [argument]: value } : { accountId, apiToken, [argument]: value };
}

function expectNamed(error: unknown, argument: string) {
    expect(error).toBeInstanceOf(RiskSummaryArgumentError);
    const e = error as RiskSummaryArgumentError;
    expect(e.argument).toBe(argument);
    expect(e.message).toContain(`"${argument}"`);
    // The message names the cause and the fix, and never echoes a rejected value (a pasted token, say).
    expect(e.message.length).toBeLessThan(600);
    expect(e.message).not.toContain(secretLooking);
    expect(e.message).not.toContain("xxxxxxxx");
    expect(e.message).not.toContain("X-Injected");
    expect(mocked.requests).toHaveLength(0);
}

async function errorOf(run: () => unknown): Promise<unknown> {
    try {
        await run();
    } catch (error) {
        return error;
    }
    throw new Error("expected an error");
}

describe.each([
    ["fetchRiskSummary", (args: Record<string, unknown>) => fetchRiskSummary({ ...args, dispatcher: mocked.agent } as never)],
    ["getRiskSummary", (args: Record<string, unknown>) => getRiskSummary(args as never)],
])("%s", (_name, call) => {
    // A rest parameter: jest would take a fourth declared parameter for a `done` callback.
    it.each(cases)("%s: %s", async (...[argument, , value, expectedArgument]: Case) => {
        expectNamed(await errorOf(() => call(argsWith(argument, value))), expectedArgument ?? argument);
    });

    it.each(conflicts)("conflicting credentials: %s", async (_label, credentials, argument) => {
        expectNamed(await errorOf(() => call({ accountId, ...credentials })), argument);
    });

    it("a non-object argument", async () => {
        const error = await errorOf(() => call("0123" as never));
        expect(error).toBeInstanceOf(RiskSummaryArgumentError);
        expect(mocked.requests).toHaveLength(0);
    });
});

// getRiskSummaryOutput checks the same way once its Inputs are known; a failed check ends the program,
// which the end-to-end tests show through the engine (test/e2e/riskSummary.test.ts).

describe("RiskGate and RiskTrend", () => {
    const summary = { accountId, fetchedAt: "2026-11-25T00:00:00.000Z", users: [] };
    it.each([
        ["rules", undefined],
        ["rules", "maxHighRiskUsers=0"],
        ["rules.maxHighRiskUsers", { maxHighRiskUsers: "0" }],
        ["rules.protectedEmails[0]", { protectedEmails: ["not an email"] }],
        ["rules.protectedDomains[0]", { protectedDomains: ["../etc"] }],
        ["rules.failOnEscalationToHigh", { failOnEscalationToHigh: 1 }],
        ["rules.maxHighRisk", { maxHighRisk: 0 }],
    ])("RiskGate %s", (argument, rules) => {
        let error: unknown;
        try {
            new RiskGate("gate", { summary, rules: rules as never });
        } catch (e) {
            error = e;
        }
        expectNamed(error, argument);
    });

    it.each([
        ["mode", { mode: "block" }],
        ["revealEmails", { revealEmails: "yes" }],
    ])("RiskGate %s", (argument, extra) => {
        expect(() => new RiskGate("gate", { summary, rules: {}, ...(extra as object) })).toThrow(RiskSummaryArgumentError);
        expect(() => new RiskGate("gate", { summary, rules: {}, ...(extra as object) })).toThrow(`"${argument}"`);
    });

    it("RiskTrend without a summary", () => {
        expect(() => new RiskTrend("trend", {} as never)).toThrow(/Invalid argument "summary"/);
    });
});

it("the mocks are honest: a good call does request", async () => {
    await getRiskSummary({ accountId, apiToken });
    expect(mocked.requests.length).toBeGreaterThan(0);
});
