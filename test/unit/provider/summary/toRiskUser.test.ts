import fc from "fast-check";
import { riskUserFieldNames, toRiskUser } from "../../../../provider/summary/toRiskUser";
import { wireUserArb } from "../../../support/riskArbitraries";

describe("toRiskUser", () => {
    it("renames every wire field by riskUserFieldNames, keeps its value and adds nothing", () => {
        fc.assert(
            fc.property(wireUserArb(), (wire) => {
                const user = toRiskUser(wire) as unknown as Record<string, unknown>;
                expect(Object.keys(user).sort()).toEqual(Object.values(riskUserFieldNames).sort());
                for (const [wireKey, sdkKey] of Object.entries(riskUserFieldNames)) {
                    expect(user[sdkKey]).toBe(wire[wireKey as keyof typeof wire]);
                }
            }),
            { numRuns: 1_000 },
        );
    });
});
