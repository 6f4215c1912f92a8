import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { CloudflareRiskError } from "../../../../provider/errors/cloudflareRiskError";
import { toRiskUser } from "../../../../provider/summary/toRiskUser";
import { decodeStoredRiskUsers, encodeStoredRiskUsers } from "../../../../provider/storage/storedRiskUsers";
import { byEmailThenId } from "../../../../provider/model/riskUser";
import {
    canonicalKeys,
    canonicalRiskUsersJson,
    fromCanonicalRiskUser,
    riskUsersDigest,
    toCanonicalRiskUser,
} from "../../../../provider/summary/digest";
import { createHash } from "node:crypto";
import { wireUserArb } from "../../../support/riskArbitraries";

const usersArb = fc.array(wireUserArb().map(toRiskUser), { maxLength: 20 });
const oneUser = toRiskUser({
    user_id: "00000000-0000-0000-0000-000000000001",
    email: "a@example.com",
    name: "A",
    event_count: 1,
    last_event: "2026-01-01T00:00:00Z",
    max_risk_level: "high",
});

describe("stored users", () => {
    it("are the base64 of the gzip of the users' canonical JSON, whose SHA-256 is the audit's digest, and decode to the users sorted", () => {
        fc.assert(
            fc.property(usersArb, (users) => {
                const stored = encodeStoredRiskUsers(users);
                expect(stored).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
                const text = gunzipSync(Buffer.from(stored, "base64")).toString("utf8");
                expect(text).toBe(canonicalRiskUsersJson(users));
                expect(createHash("sha256").update(text).digest("hex")).toBe(riskUsersDigest(users));
                expect(decodeStoredRiskUsers(stored)).toEqual([...users].sort(byEmailThenId));
            }),
            { numRuns: 500 },
        );
    });

    it("put each field where canonicalKeys says, both ways", () => {
        expect(toCanonicalRiskUser(oneUser)).toEqual(canonicalKeys.map((k) => oneUser[k]));
        expect(fromCanonicalRiskUser(toCanonicalRiskUser(oneUser))).toStrictEqual(oneUser);
    });

    it("decode the users as 0.2.0 stored them: the gzip of their objects", () => {
        expect(decodeStoredRiskUsers(gzipSync(JSON.stringify([oneUser])).toString("base64"))).toEqual([oneUser]);
    });

    it("pass a plain list, as earlier versions stored it, through unchanged", () => {
        expect(decodeStoredRiskUsers([oneUser])).toEqual([oneUser]);
    });

    it.each([
        ["not base64 of gzip", "a@example.com"],
        ["gzip of something else than a list", gzipSync('{"email":"a@example.com"}').toString("base64")],
        ["truncated", encodeStoredRiskUsers([oneUser]).slice(0, 20)],
    ])("refuse a stored value that is %s, with the fix and without quoting it", (_case, stored) => {
        let error: unknown;
        try {
            decodeStoredRiskUsers(stored);
        } catch (caught) {
            error = caught;
        }
        expect(error).toBeInstanceOf(CloudflareRiskError);
        expect((error as Error).message).toMatch(/not base64 of gzip-compressed JSON.*pulumi refresh/);
        expect((error as Error).message).not.toContain("example.com");
        expect((error as Error).message).not.toContain(stored.slice(0, 12));
    });
});
