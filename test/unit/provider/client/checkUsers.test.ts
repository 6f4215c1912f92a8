import fc from "fast-check";
import { checkRiskUsers } from "../../../../provider/client/checkUsers";
import { riskUserSchema } from "../../../../provider/client/schema";
import { badDateTimeArb, badUuidArb, extraFieldsArb, unknownLevelArb, wireUserArb, withExtras } from "../../../support/riskArbitraries";

// The fast path decides alone only when it accepts, so it must never accept what zod rejects, and it
// must build what zod builds. It should also accept what zod accepts, or the fast path is never taken.
const numRuns = 10_000;
const propertyTimeoutMs = 120_000;

const userFields = ["email", "event_count", "last_event", "max_risk_level", "name", "user_id"] as const;

/** Near misses of every kind the schema rejects, and values it has never seen. */
const fieldValueArb = fc.oneof(
    badUuidArb,
    badDateTimeArb,
    unknownLevelArb,
    fc.constantFrom(-1, 0.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, -0, "7", null, true, [], {}),
    fc.double(),
    fc.jsonValue({ maxDepth: 1 }),
);

const userLikeArb: fc.Arbitrary<unknown> = fc.oneof(
    {
        arbitrary: fc.tuple(wireUserArb(), extraFieldsArb, fc.boolean()).map(([user, extras, first]) => withExtras(user, extras, first)),
        weight: 3,
    },
    {
        arbitrary: fc
            .tuple(wireUserArb(), fc.constantFrom(...userFields), fc.option(fieldValueArb, { nil: undefined }))
            .map(([user, field, value]) => {
                const damaged: Record<string, unknown> = { ...user };
                if (value === undefined) delete damaged[field];
                else damaged[field] = value;
                return damaged;
            }),
        weight: 4,
    },
    { arbitrary: fc.anything(), weight: 1 },
    { arbitrary: fc.tuple(wireUserArb()).map(([user]) => Object.values(user)), weight: 1 },
);

describe("checkRiskUsers", () => {
    it(
        "accepts exactly the users zod accepts, and builds the same objects in the same key order",
        () => {
            fc.assert(
                fc.property(fc.array(userLikeArb, { maxLength: 3 }), (users) => {
                    const fast = checkRiskUsers(users);
                    const results = users.map((user) => riskUserSchema.safeParse(user));
                    const zodAccepts = results.every((r) => r.success);
                    if (fast === undefined) {
                        if (zodAccepts) throw new Error("zod accepts these users but the fast path does not");
                        return;
                    }
                    if (!zodAccepts) throw new Error("the fast path accepts users zod rejects");
                    const built = results.map((r) => r.data);
                    if (JSON.stringify(fast) !== JSON.stringify(built))
                        throw new Error(`built ${JSON.stringify(fast)}, zod built ${JSON.stringify(built)}`);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );
});
