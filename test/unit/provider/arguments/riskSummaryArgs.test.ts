import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";
import { validateAccountId, validateEmailDomains, validateLastEventSince } from "../../../../provider/arguments/checks";
import { validateClientOptions, validateFilters } from "../../../../provider/arguments/riskSummaryArgs";
import { validateRiskSummaryArgs } from "../../../../sdk/resources/validateRiskSummaryArgs";

const accountId = "0123456789ABCDEF0123456789abcdef";

function messageOf(fn: () => unknown): string {
    try {
        fn();
    } catch (error) {
        expect(error).toBeInstanceOf(RiskSummaryArgumentError);
        return (error as Error).message;
    }
    throw new Error("expected a RiskSummaryArgumentError");
}

describe("argument validation", () => {
    it("normalizes a valid account id to lower case", () => {
        expect(validateAccountId(accountId)).toBe("0123456789abcdef0123456789abcdef");
    });

    it.each([
        ["a path trick", "../../../user/tokens"],
        ["too short", "0123"],
        ["non-hex", "z123456789abcdef0123456789abcdef"],
        ["a query", "0123456789abcdef0123456789abcdef?x=1"],
        ["a number", 42],
        ["empty", ""],
        ["huge", "a".repeat(100_000)],
        ["control characters", "0123456789abcdef\n0123456789abcde"],
    ])("rejects an account id that is %s, without echoing it", (_, value) => {
        const message = messageOf(() => validateAccountId(value));
        expect(message).toContain('"accountId"');
        expect(message).toContain("32 hexadecimal characters");
        if (typeof value === "string" && value.length > 3) expect(message).not.toContain(value);
    });

    it("rejects unknown risk levels and bad dates", () => {
        expect(messageOf(() => validateFilters({ minRiskLevel: "critical" }))).toContain('got "critical"');
        expect(messageOf(() => validateLastEventSince("yesterday"))).toContain('"lastEventSince"');
        expect(validateLastEventSince("2026-01-31")).toBe("2026-01-31T00:00:00.000Z");
        expect(validateLastEventSince("2026-01-31T10:00:00+02:00")).toBe("2026-01-31T08:00:00.000Z");
    });

    it("checks each email domain and names its index", () => {
        expect(validateEmailDomains(["Example.com", "example.com", "corp.example"])).toEqual(["corp.example", "example.com"]);
        expect(messageOf(() => validateEmailDomains(["example.com", "*.evil"]))).toContain('"emailDomains[1]"');
        expect(messageOf(() => validateEmailDomains([]))).toContain('"emailDomains"');
        expect(messageOf(() => validateEmailDomains("example.com"))).toContain("non-empty array");
    });

    it("bounds the numeric client options", () => {
        expect(validateClientOptions({ timeoutMs: 1000, maxRetries: 0, concurrency: 64 })).toEqual({
            timeoutMs: 1000,
            maxRetries: 0,
            concurrency: 64,
            perPage: undefined,
        });
        expect(messageOf(() => validateClientOptions({ concurrency: 0 }))).toContain('"concurrency"');
        expect(messageOf(() => validateClientOptions({ maxRetries: 1.5 }))).toContain('"maxRetries"');
        expect(messageOf(() => validateClientOptions({ timeoutMs: "10" }))).toContain("a string of 2 characters");
    });
});

describe("validateRiskSummaryArgs (program side)", () => {
    it("keeps only what was given, normalized", () => {
        expect(validateRiskSummaryArgs({ accountId, minRiskLevel: "high", emailDomains: ["B.example", "a.example"] })).toEqual({
            accountId: "0123456789abcdef0123456789abcdef",
            minRiskLevel: "high",
            emailDomains: ["a.example", "b.example"],
        });
    });

    it("rejects conflicting or half credentials and non-objects", () => {
        expect(messageOf(() => validateRiskSummaryArgs({ accountId, apiToken: "t", apiKey: "k", email: "e@example.com" }))).toContain(
            "both an API token",
        );
        expect(messageOf(() => validateRiskSummaryArgs({ accountId, apiKey: "k" }))).toContain('"email"');
        expect(messageOf(() => validateRiskSummaryArgs("0123"))).toContain('"args"');
        expect(messageOf(() => validateRiskSummaryArgs({ accountId, secretPersonalData: "no" }))).toContain('"secretPersonalData"');
        expect(messageOf(() => validateRiskSummaryArgs({ accountId, baseUrl: "ftp://example.com" }))).toContain('"baseUrl"');
    });
});
