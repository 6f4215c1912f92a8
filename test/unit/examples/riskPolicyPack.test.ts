import { readFileSync } from "node:fs";
import * as path from "node:path";
import { riskPolicies } from "../../../sdk/policy/riskPolicies";

// The example config a team copies names every policy of the pack, and only settings each one declares.
const example = JSON.parse(
    readFileSync(path.join(__dirname, "..", "..", "..", "examples", "risk-policy-pack", "policy-config.example.json"), "utf8"),
) as Record<string, Record<string, unknown>>;
const policies = riskPolicies();

describe("examples/risk-policy-pack/policy-config.example.json", () => {
    it("configures every policy of the pack", () => {
        expect(Object.keys(example).sort()).toEqual(policies.map((p) => p.name).sort());
    });

    it.each(policies.map((p) => [p.name, p] as const))("sets only what %s declares", (name, policy) => {
        const declared = Object.keys(policy.configSchema?.properties ?? {});
        expect(Object.keys(example[name]!).filter((key) => key !== "enforcementLevel" && !declared.includes(key))).toEqual([]);
    });
});
