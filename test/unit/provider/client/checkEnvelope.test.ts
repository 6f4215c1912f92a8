import fc from "fast-check";
import { z } from "zod";
import { checkRiskSummaryEnvelope } from "../../../../provider/client/checkEnvelope";
import { lastEventPattern, userIdPattern } from "../../../../provider/client/checkUsers";
import { riskSummaryPageEnvelopeSchema } from "../../../../provider/client/schema";

// As for checkRiskUsers: the fast check decides alone only when it accepts, so it must never accept
// what zod rejects, must build what zod builds, and should accept what zod accepts.
const numRuns = 10_000;
const propertyTimeoutMs = 120_000;

const oddValueArb = fc.oneof(
    fc.constantFrom(-1, 0, 1, 0.5, -0, Number.MAX_SAFE_INTEGER + 1, "7", "", null, true, [], {}, undefined),
    fc.jsonValue({ maxDepth: 1 }),
);
const countArb = fc.oneof(fc.nat({ max: 100_000 }), fc.integer({ min: -3, max: 3 }), oddValueArb);

/** An object with some of its keys given, left out or given odd values. */
function recordArb(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
    const entries = Object.entries(fields).map(([key, value]) =>
        fc
            .oneof({ arbitrary: value, weight: 6 }, { arbitrary: oddValueArb, weight: 1 }, { arbitrary: fc.constant(absent), weight: 1 })
            .map((v) => [key, v] as const),
    );
    return fc
        .tuple(fc.tuple(...entries), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }))
        .map(([given, extra]) => {
            const record: Record<string, unknown> = { ...extra };
            for (const [key, value] of given) if (value !== absent) record[key] = value;
            return record;
        });
}
const absent = Symbol("absent");

const messageArb = recordArb({
    code: fc.integer({ min: -100_000, max: 100_000 }),
    message: fc.string({ maxLength: 12 }),
    documentation_url: fc.webUrl(),
    source: recordArb({ pointer: fc.string({ maxLength: 8 }) }),
});
const resultInfoArb = recordArb({ count: countArb, page: countArb, per_page: countArb, total_count: countArb, total_pages: countArb });
const envelopeArb: fc.Arbitrary<unknown> = fc.oneof(
    {
        arbitrary: recordArb({
            success: fc.constant(true),
            errors: fc.array(messageArb, { maxLength: 2 }),
            messages: fc.array(messageArb, { maxLength: 2 }),
            result: recordArb({ users: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }) }),
            result_info: fc.oneof(resultInfoArb, fc.constantFrom(null, undefined)),
        }),
        weight: 8,
    },
    { arbitrary: fc.anything(), weight: 1 },
);

describe("checkRiskSummaryEnvelope", () => {
    it("uses zod's own patterns for user ids and event times", () => {
        expect(String(userIdPattern)).toBe(String(z.regexes.guid));
        expect(String(lastEventPattern)).toBe(String(z.regexes.datetime({ offset: true, local: false, precision: null })));
    });

    it(
        "accepts exactly the envelopes zod accepts, and builds the same page",
        () => {
            fc.assert(
                fc.property(envelopeArb, (json) => {
                    const fast = checkRiskSummaryEnvelope(json);
                    const zod = riskSummaryPageEnvelopeSchema.safeParse(json);
                    if (fast === undefined) {
                        if (zod.success) throw new Error(`zod accepts ${JSON.stringify(json)} but the fast check does not`);
                        return;
                    }
                    if (!zod.success) throw new Error(`the fast check accepts ${JSON.stringify(json)}, which zod rejects`);
                    expect(fast).toStrictEqual(zod.data);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );
});
