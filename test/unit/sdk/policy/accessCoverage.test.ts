import { maskEmail } from "../../../../provider/summary/maskEmail";
import {
    accessApplicationType,
    accessPolicyType,
    accessViolationMessage,
    checkAccessPolicy,
    checkAccessResource,
} from "../../../../sdk/policy/accessCoverage";

// Inputs as @pulumi/cloudflare 6.22 sends them to the engine (camelCase, one key per rule).
const high = ["Alice@example.com", "bob@example.com", "carol@corp.example"];
const noLists = () => undefined;
const base = { accountId: "acc-1", name: "staff", decision: "allow", includes: [{ everyone: {} }] };

describe("Access policy validation on recorded inputs", () => {
    it("passes a live userRiskScore exclude covering high", () => {
        const policy = { ...base, excludes: [{ userRiskScore: { userRiskScores: ["high"] } }] };
        expect(checkAccessPolicy(policy, high, noLists)).toEqual({ liveRiskRule: true, admitted: [], unresolvedLists: 0 });
    });

    it("passes a userRiskScore require that leaves high out, and fails one that admits high", () => {
        const ok = { ...base, requires: [{ userRiskScore: { userRiskScores: ["low", "medium"] } }] };
        expect(checkAccessPolicy(ok, high, noLists)?.admitted).toEqual([]);
        const bad = { ...base, excludes: [{ userRiskScore: { userRiskScores: ["medium"] } }] };
        expect(checkAccessPolicy(bad, high, noLists)?.admitted).toHaveLength(3);
    });

    it("counts email rules case-insensitively and names who is still let in", () => {
        const policy = { ...base, excludes: [{ email: { email: "alice@EXAMPLE.com" } }, { email: { email: "bob@example.com" } }] };
        expect(checkAccessPolicy(policy, high, noLists)?.admitted).toEqual(["carol@corp.example"]);
    });

    it("reads email-list rules through the lookup, and counts unreadable lists as covering nobody", () => {
        const policy = { ...base, excludes: [{ emailList: { id: "list-1" } }, { emailList: { id: "list-2" } }] };
        const lists = (id: string | undefined) =>
            id === "list-1" ? ["alice@example.com", "bob@example.com", "carol@corp.example"] : undefined;
        expect(checkAccessPolicy(policy, high, lists)).toEqual({ liveRiskRule: false, admitted: [], unresolvedLists: 1 });
        expect(checkAccessPolicy(policy, high, noLists)).toEqual({
            liveRiskRule: false,
            admitted: ["alice@example.com", "bob@example.com", "carol@corp.example"],
            unresolvedLists: 2,
        });
    });

    it("flags an allow policy with no exclude at all, and ignores deny and bypass policies", () => {
        expect(checkAccessPolicy(base, high, noLists)?.admitted).toHaveLength(3);
        expect(checkAccessPolicy({ ...base, decision: "deny" }, high, noLists)).toBeUndefined();
        expect(checkAccessPolicy({ ...base, decision: "bypass" }, high, noLists)).toBeUndefined();
        expect(checkAccessPolicy(base, [], noLists)?.admitted).toEqual([]);
    });

    it("checks each inline policy of an application", () => {
        const app = {
            accountId: "acc-1",
            name: "wiki",
            type: "self_hosted",
            domain: "wiki.example.com",
            policies: [
                {
                    name: "guarded",
                    decision: "allow",
                    includes: [{ everyone: {} }],
                    excludes: [{ userRiskScore: { userRiskScores: ["high"] } }],
                },
                { name: "open", decision: "allow", includes: [{ emailDomain: { domain: "example.com" } }] },
                { name: "blocked", decision: "deny", includes: [{ everyone: {} }] },
            ],
        };
        const findings = checkAccessResource(accessApplicationType, "wiki", app, high, noLists);
        expect(findings.map((f) => [f.label, f.coverage.admitted.length])).toEqual([["wiki policies[1]", 3]]);
        expect(checkAccessResource("cloudflare:index/zone:Zone", "z", app, high, noLists)).toEqual([]);
    });

    it("words the violation with the resource, the masked count and the fix", () => {
        const [finding] = checkAccessResource(
            accessPolicyType,
            "staff",
            { ...base, excludes: [{ emailList: { id: "x" } }] },
            high,
            noLists,
        );
        const message = accessViolationMessage(finding!, high.length, false);
        expect(message).toContain('Access policy "staff" lets in 3 of the account\'s 3 high-risk users');
        expect(message).toContain(maskEmail("alice@example.com"));
        expect(message).not.toContain("alice@example.com");
        expect(message).toContain("1 email-list rule could not be read");
        expect(message).toContain('userRiskScore: { userRiskScores: ["high"] }');
        expect(accessViolationMessage(finding!, 3, true)).toContain("alice@example.com");
    });
});
