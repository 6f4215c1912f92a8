import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { RiskAccessLimitError, RiskAccessRules } from "../../../../sdk/access";
import { bucketEmails } from "../../../../sdk/access/emailBuckets";
import { planAccessRules } from "../../../../sdk/access/planAccessRules";
import type { WireRiskUser } from "../../../../provider/client/schema";
import { getRiskSummaryOutput, resetRiskSummaryCalls } from "../../../../index";
import { generateRiskDataset, withRiskLevel } from "../../../../dev/local-api/riskDataset";
import * as provider from "../../../../provider/dynamic/riskSummary";
import { accountId, apiToken, mockCloudflare } from "../../../support/mockCloudflare";
import { secretInput, secretSignature, secretSignatureKey, setRiskSummaryMocks } from "../../../support/riskSummaryMocks";

// The component under a mocked engine: the summary is read by the real provider code over a
// MockAgent; every Cloudflare resource the component registers is recorded with its exact inputs.

jest.setTimeout(120_000);

const listType = "cloudflare:index/zeroTrustList:ZeroTrustList";
const originalDispatcher = getGlobalDispatcher();
let registrations: pulumi.runtime.MockResourceArgs[] = [];

/** `count` users at high risk, among `others` at low risk. */
function accountOf(count: number, others = 50, seed = 11): WireRiskUser[] {
    const users = generateRiskDataset({ size: count + others, seed });
    return users.map((u, i) => withRiskLevel(u, i < count ? "high" : "low"));
}

function highRiskEmailsOf(users: readonly WireRiskUser[]): string[] {
    return [...new Set(users.filter((u) => u.max_risk_level === "high").map((u) => u.email.toLowerCase()))].sort();
}

/** The first bits of an email's SHA-256, computed here independently of the component. */
function hashBits(email: string, count: number): string {
    const digest = createHash("sha256").update(email).digest();
    let bits = "";
    for (let i = 0; i < count; i++) bits += (digest[i >> 3]! >> (7 - (i & 7))) & 1 ? "1" : "0";
    return bits;
}

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

/** Runs the component over `users` as one `pulumi up` would, and returns its rules and the lists it registered. */
async function run(users: readonly WireRiskUser[], args: Partial<ConstructorParameters<typeof RiskAccessRules>[1]> = {}) {
    registrations.length = 0;
    resetRiskSummaryCalls();
    provider.resetProviderState();
    setGlobalDispatcher(mockCloudflare(users).agent);
    const summary = getRiskSummaryOutput({ accountId, apiToken, perPage: 1000 });
    const component = new RiskAccessRules("risky", { accountId, summary, ...args });
    const rules = await outputValue(component.rules);
    // Registered concurrently: in name order, which is the rules' order (their hash prefixes, sorted).
    const lists = registrations.filter((r) => r.type === listType).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { component, rules, lists };
}

function itemsOf(list: pulumi.runtime.MockResourceArgs): string[] {
    const items = list.inputs.items as { [secretSignatureKey]: string; value: { value: string }[] };
    expect(items[secretSignatureKey]).toBe(secretSignature);
    return items.value.map((item) => item.value);
}

beforeAll(() => {
    registrations = setRiskSummaryMocks({
        project: "risk-access-rules",
        preview: false,
        otherResource: (args) => ({ id: args.type === listType ? `${args.name}-id` : `${args.name}`, state: args.inputs }),
    });
});

afterAll(() => setGlobalDispatcher(originalDispatcher));

describe("RiskAccessRules", () => {
    it("with no risky user: no rule and no list", async () => {
        const { component, rules, lists } = await run(accountOf(0));
        expect(rules).toEqual([]);
        expect(lists).toEqual([]);
        expect(await outputValue(component.listCount)).toBe(0);
        expect(await outputValue(component.userCount)).toBe(0);
    });

    it("with one risky user: one email rule, secret, and no list", async () => {
        const users = accountOf(1);
        const { component, rules, lists } = await run(users);
        expect(rules).toEqual([{ email: { email: highRiskEmailsOf(users)[0] } }]);
        expect(await pulumi.isSecret(component.rules)).toBe(true);
        expect(lists).toEqual([]);
    });

    it("with 1,000 risky users: one list of exactly them, referenced by one emailList rule", async () => {
        const users = accountOf(1000);
        const { rules, lists } = await run(users);
        expect(lists).toHaveLength(1);
        expect(lists[0]!.name).toBe("risky-all");
        expect(lists[0]!.inputs).toStrictEqual({
            accountId,
            name: "risky (all)",
            description: 'Users at high risk whose email hash starts with bits ""; managed by Pulumi.',
            type: "EMAIL",
            items: secretInput(highRiskEmailsOf(users).map((value) => ({ value }))),
        });
        expect(rules).toEqual([{ emailList: { id: "risky-all-id" } }]);
    });

    it("with 1,001 risky users: two lists split on the first bit of each email's hash", async () => {
        const users = accountOf(1001);
        const emails = highRiskEmailsOf(users);
        const { rules, lists } = await run(users);
        expect(lists.map((l) => l.name)).toEqual(["risky-0", "risky-1"]);
        for (const bit of ["0", "1"]) {
            const list = lists.find((l) => l.name === `risky-${bit}`)!;
            expect(list.inputs).toStrictEqual({
                accountId,
                name: `risky (${bit})`,
                description: `Users at high risk whose email hash starts with bits "${bit}"; managed by Pulumi.`,
                type: "EMAIL",
                items: secretInput(emails.filter((e) => hashBits(e, 1) === bit).map((value) => ({ value }))),
            });
        }
        expect(rules).toEqual([{ emailList: { id: "risky-0-id" } }, { emailList: { id: "risky-1-id" } }]);
    });

    it("with 25,000 risky users: every user in exactly one list of at most 1,000, named by its hash prefix, none split needlessly", async () => {
        const users = accountOf(25_000, 0);
        const emails = highRiskEmailsOf(users);
        const { component, rules, lists } = await run(users);
        const listed = lists.flatMap(itemsOf);
        expect(listed.sort()).toEqual(emails);
        const prefixes = lists.map((l) => l.name.replace(/^risky-/, ""));
        for (const [i, list] of lists.entries()) {
            const prefix = prefixes[i]!;
            const items = itemsOf(list);
            expect(items.length).toBeLessThanOrEqual(1000);
            expect(items.every((e) => hashBits(e, prefix.length) === prefix)).toBe(true);
            // Split only because the bucket one bit up would have been too big.
            const parent = prefix.slice(0, -1);
            expect(emails.filter((e) => hashBits(e, parent.length) === parent).length).toBeGreaterThan(1000);
            expect(list.inputs).toMatchObject({ accountId, type: "EMAIL", name: `risky (${prefix})` });
        }
        expect(rules).toEqual(prefixes.map((p) => ({ emailList: { id: `risky-${p}-id` } })));
        expect(await outputValue(component.listCount)).toBe(lists.length);
        expect(await outputValue(component.userCount)).toBe(25_000);
    });

    it("one more risky user changes exactly one list's items, by that user", async () => {
        const users = accountOf(1001, 1);
        const before = await run(users);
        const added = users.map((u, i) => (i === users.length - 1 ? withRiskLevel(u, "high") : u));
        const after = await run(added);
        expect(after.lists.map((l) => l.name)).toEqual(before.lists.map((l) => l.name));
        const changed = after.lists.filter((l, i) => JSON.stringify(l.inputs) !== JSON.stringify(before.lists[i]!.inputs));
        expect(changed).toHaveLength(1);
        const was = itemsOf(before.lists.find((l) => l.name === changed[0]!.name)!);
        expect(itemsOf(changed[0]!).filter((e) => !was.includes(e))).toEqual([users[users.length - 1]!.email.toLowerCase()]);
    });

    it("the same users register the same inputs, whatever order the pages came in", async () => {
        const users = accountOf(2500);
        const first = await run(users);
        const second = await run([...users].reverse());
        expect(second.lists.map((l) => [l.name, l.inputs])).toEqual(first.lists.map((l) => [l.name, l.inputs]));
        expect(second.rules).toEqual(first.rules);
    });

    // Through the engine, the same error fails `pulumi preview` before any list exists:
    // test/e2e/accessRules.test.ts. Here, the plan and its message.
    it("refuses a plan that needs more lists than allowed, with the numbers and the fixes", () => {
        const emails = highRiskEmailsOf(accountOf(25_000, 0));
        const error = (() => {
            try {
                planAccessRules(emails, { maxEmailRules: 100, listEntryLimit: 1000, maxLists: 10 }, ["high", "medium"]);
            } catch (e) {
                return e;
            }
        })();
        expect(error).toBeInstanceOf(RiskAccessLimitError);
        const limit = error as RiskAccessLimitError;
        expect(limit.code).toBe("CFRISK_ACCESS_LIMIT");
        expect([limit.emails, limit.listsNeeded, limit.maxLists]).toEqual([25_000, 32, 10]);
        expect(limit.message).toBe(
            "25000 risky users need 32 Zero Trust lists of 1000 entries, more than the 10 allowed (maxLists). Nothing was created. To fit: " +
                `on an Enterprise account, set listEntryLimit: 5000 (${bucketEmails(emails, 5000).length} lists); cover fewer levels than high and medium; ` +
                'use Cloudflare\'s live selector { userRiskScore: { userRiskScores: ["high", "medium"] } }, which needs no list; ' +
                "or raise maxLists if the account's limit is higher.",
        );
        expect(planAccessRules(emails, { maxEmailRules: 100, listEntryLimit: 1000, maxLists: 32 }, ["high", "medium"]).kind).toBe("lists");
    });

    it("keeps every email secret in what it registers", async () => {
        const users = accountOf(1500);
        await run(users);
        // Remove every secret value, then no email may remain anywhere in the registrations.
        const strip = (value: unknown): unknown => {
            if (Array.isArray(value)) return value.map(strip);
            if (value !== null && typeof value === "object") {
                const record = value as Record<string, unknown>;
                if (record[secretSignatureKey] === secretSignature) return "[secret]";
                return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, strip(v)]));
            }
            return value;
        };
        const visible = JSON.stringify(registrations.map((r) => ({ name: r.name, inputs: strip(r.inputs) })));
        for (const email of highRiskEmailsOf(users)) expect(visible).not.toContain(email);
        expect(visible).toContain("[secret]");
    });

    it("rejects bad settings where the component is built, naming them", () => {
        const summary = pulumi.output({ users: [] });
        expect(() => new RiskAccessRules("bad", { accountId, summary, levels: ["critical" as never] })).toThrow(/"levels"/);
        expect(() => new RiskAccessRules("bad2", { accountId, summary, listEntryLimit: 10_000 })).toThrow(
            /"listEntryLimit": expected an integer from 1 to 5000/,
        );
        expect(() => new RiskAccessRules("bad3", { accountId, summary, maxEmailRules: -1 })).toThrow(/"maxEmailRules"/);
    });
});
