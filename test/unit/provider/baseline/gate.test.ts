import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";
import { evaluateRiskGate, riskGateFailureMessage, validateRiskGateMode, validateRiskGateRules } from "../../../../provider/baseline/gate";
import type { RiskLevelEntry, RiskTrendChanges } from "../../../../provider/baseline/trend";

const levels: RiskLevelEntry[] = [
    { userId: "1", email: "Admin@Example.com", level: "high" },
    { userId: "2", email: "bob@corp.example", level: "high" },
    { userId: "3", email: "carol@example.com", level: "medium" },
    { userId: "4", email: "dave@example.com", level: "low" },
];
const noTrend: RiskTrendChanges = { escalated: [], deescalated: [], appeared: [], left: [] };

function argumentError(run: () => unknown): RiskSummaryArgumentError {
    try {
        run();
    } catch (error) {
        expect(error).toBeInstanceOf(RiskSummaryArgumentError);
        return error as RiskSummaryArgumentError;
    }
    throw new Error("expected an argument error");
}

describe("evaluateRiskGate", () => {
    it("passes when no rule is broken", () => {
        expect(
            evaluateRiskGate(
                {
                    maxHighRiskUsers: 2,
                    maxMediumRiskUsers: 1,
                    protectedEmails: ["dave@example.com"],
                    protectedDomains: ["other.example"],
                    failOnEscalationToHigh: true,
                },
                levels,
                noTrend,
                false,
            ),
        ).toEqual([]);
        expect(evaluateRiskGate({}, levels, null, false)).toEqual([]);
    });

    it("names each broken rule, the numbers and the masked offenders", () => {
        const trend: RiskTrendChanges = {
            ...noTrend,
            escalated: [{ userId: "2", email: "bob@corp.example", from: "medium", to: "high" }],
            appeared: [{ userId: "1", email: "admin@example.com", from: null, to: "high" }],
        };
        const violations = evaluateRiskGate(
            {
                maxHighRiskUsers: 1,
                maxMediumRiskUsers: 0,
                protectedEmails: ["admin@example.com"],
                protectedDomains: ["corp.example"],
                failOnEscalationToHigh: true,
            },
            levels,
            trend,
            false,
        );
        expect(violations).toEqual([
            {
                rule: "maxHighRiskUsers",
                offenders: 2,
                message: "maxHighRiskUsers: 2 users are at high risk, more than the 1 allowed: a***@example.com, b***@corp.example",
            },
            {
                rule: "maxMediumRiskUsers",
                offenders: 1,
                message: "maxMediumRiskUsers: 1 users are at medium risk, more than the 0 allowed: c***@example.com",
            },
            { rule: "protectedEmails", offenders: 1, message: "protectedEmails: 1 protected users are at high risk: a***@example.com" },
            {
                rule: "protectedDomains",
                offenders: 1,
                message: "protectedDomains: 1 users of corp.example are at high risk: b***@corp.example",
            },
            {
                rule: "failOnEscalationToHigh",
                offenders: 2,
                message:
                    "failOnEscalationToHigh: 2 users rose to high risk since the last deployment: a***@example.com (new → high), b***@corp.example (medium → high)",
            },
        ]);
        const message = riskGateFailureMessage("prod", "0".repeat(32), "2026-11-25T00:00:00.000Z", violations, false);
        expect(message).toMatch(
            /^Risk gate "prod" blocked this deployment: account 0{32}, as read at 2026-11-25T00:00:00.000Z, breaks 5 rules:\n {2}- maxHighRiskUsers/,
        );
        expect(message).toContain('set mode: "warn"');
        expect(message).toContain("set revealEmails: true");
        expect(message.toLowerCase()).not.toContain("admin@example.com");
    });

    it("shows emails when revealed, and never counts an escalation on the first deployment", () => {
        const [violation] = evaluateRiskGate({ protectedDomains: ["corp.example"] }, levels, null, true);
        expect(violation!.message).toContain("bob@corp.example");
        expect(evaluateRiskGate({ failOnEscalationToHigh: true }, levels, null, false)).toEqual([]);
        expect(riskGateFailureMessage("g", "0".repeat(32), "t", [violation!], true)).not.toContain("revealEmails");
    });

    it("lists at most ten offenders, then how many more", () => {
        const many = Array.from({ length: 25 }, (_, i): RiskLevelEntry => ({
            userId: String(i),
            email: `user${String(i).padStart(2, "0")}@example.com`,
            level: "high",
        }));
        const [violation] = evaluateRiskGate({ maxHighRiskUsers: 0 }, many, null, false);
        expect(violation!.message).toMatch(/u\*\*\*@example\.com and 15 more$/);
        const risen = {
            ...noTrend,
            escalated: many.map((e) => ({ userId: e.userId, email: e.email, from: "low" as const, to: "high" as const })),
        };
        const [escalation] = evaluateRiskGate({ failOnEscalationToHigh: true }, many, risen, false);
        expect(escalation!.message).toMatch(/\(low → high\) and 15 more$/);
    });
});

describe("validateRiskGateRules", () => {
    it("normalizes emails and domains", () => {
        expect(
            validateRiskGateRules({
                protectedEmails: ["B@x.com", "a@x.com", "b@x.com"],
                protectedDomains: ["X.com"],
                maxHighRiskUsers: 0,
                failOnEscalationToHigh: false,
            }),
        ).toEqual({
            protectedEmails: ["a@x.com", "b@x.com"],
            protectedDomains: ["x.com"],
            maxHighRiskUsers: 0,
            failOnEscalationToHigh: false,
        });
    });

    it.each([
        [null, "rules", /expected an object of rules/],
        [{ maxHighRisk: 1 }, "rules.maxHighRisk", /not a gate rule/],
        [{ maxHighRiskUsers: -1 }, "rules.maxHighRiskUsers", /expected an integer/],
        [{ maxMediumRiskUsers: 1.5 }, "rules.maxMediumRiskUsers", /expected an integer/],
        [{ protectedEmails: [] }, "rules.protectedEmails", /non-empty array/],
        [
            { protectedEmails: ["ok@x.com", "not an email"] },
            "rules.protectedEmails[1]",
            /expected an email address, got a string of 12 characters/,
        ],
        [{ protectedDomains: ["*.x.com"] }, "rules.protectedDomains[0]", /expected a domain name/],
        [{ failOnEscalationToHigh: "yes" }, "rules.failOnEscalationToHigh", /expected true or false/],
    ])("rejects %j, naming %s", (rules, argument, reason) => {
        const error = argumentError(() => validateRiskGateRules(rules));
        expect(error.argument).toBe(argument);
        expect(error.message).toMatch(reason);
    });

    it("accepts only the two modes", () => {
        expect(validateRiskGateMode(undefined)).toBe("enforce");
        expect(validateRiskGateMode("warn")).toBe("warn");
        expect(argumentError(() => validateRiskGateMode("block")).message).toMatch(/expected "enforce" or "warn", got "block"/);
        expect(argumentError(() => validateRiskGateMode("x".repeat(200))).message).toMatch(/got a string of 200 characters/);
    });
});
