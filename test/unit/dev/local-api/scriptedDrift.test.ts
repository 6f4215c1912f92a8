import { Agent, request } from "undici";
import { ZodError } from "zod";
import { riskSummaryPageSchema, riskUserSchema, type WireRiskUser } from "../../../../provider/client/schema";
import {
    driftUser,
    LocalApiNotFoundError,
    startLocalCloudflareApi,
    withRiskLevel,
    type LocalCloudflareApi,
    type ScriptedDrift,
} from "../../../../dev/local-api";

// Scripted drift over real sockets: changes to an account's users that land between two requests.
// One agent for the file, closed at the end, so that no keep-alive client socket outlives the tests.
const agent = new Agent({ keepAliveTimeout: 1_000 });
afterAll(() => agent.close());

const accountA = "a".repeat(32);
const accountB = "b".repeat(32);
const emptyAccount = "c".repeat(32);

let api: LocalCloudflareApi;
beforeAll(async () => {
    api = await startLocalCloudflareApi({
        accounts: {
            [accountA]: { size: 10, seed: 5 },
            [accountB]: { size: 6, seed: 6, domains: ["b.example"] },
            [emptyAccount]: { size: 0 },
        },
    });
});
afterAll(() => api.stop());
beforeEach(() => api.reset());

function summaryUrl(server: LocalCloudflareApi, query: Record<string, string | number>, accountId: string): string {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    return `${server.baseUrl}/accounts/${accountId}/zt_risk_scoring/summary?${params}`;
}

interface Target {
    server?: LocalCloudflareApi;
    accountId?: string;
}

async function summary(
    query: Record<string, string | number> = {},
    { server = api, accountId, token }: Target & { token?: string } = {},
): Promise<{ status: number; text: string }> {
    const res = await request(summaryUrl(server, query, accountId ?? server.accountId), {
        headers: { authorization: `Bearer ${token ?? server.credentials.apiToken}` },
        dispatcher: agent,
    });
    return { status: res.statusCode, text: await res.body.text() };
}

/** The users of page `n` (4 per page unless told), which must be a normal 200 answer. */
async function page(n: number, { server = api, accountId, perPage = 4 }: Target & { perPage?: number } = {}): Promise<WireRiskUser[]> {
    const res = await summary({ page: n, per_page: perPage }, { server, accountId });
    expect(res.status).toBe(200);
    return riskSummaryPageSchema.parse(JSON.parse(res.text)).result.users;
}

async function control(path: string, body: unknown, method: "GET" | "POST" = "POST"): Promise<{ status: number; json: any }> {
    const res = await request(`${api.origin}/__control/${path}`, {
        method,
        dispatcher: agent,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, json: await res.body.json() };
}

const ids = (users: readonly WireRiskUser[]): string[] => users.map((u) => u.user_id);

describe("insert", () => {
    test("default: a new valid user at the front after the request; every later user one place later", async () => {
        const before = api.users();
        api.driftNext([{ op: "insert" }]);
        expect(api.users()).toEqual(before); // queued, not applied
        expect(await page(1)).toEqual(before.slice(0, 4));
        const after = api.users();
        expect(after).toHaveLength(before.length + 1);
        expect(after.slice(1)).toEqual(before);
        const added = riskUserSchema.parse(after[0]);
        expect(added.max_risk_level).toBe("low");
        expect(before.some((u) => u.user_id === added.user_id || u.email === added.email)).toBe(false);
        expect(added.email.endsWith("@example.com")).toBe(true);
        // Page 2 starts with the user page 1 ended with: listed twice by a reader that pages.
        expect(await page(2)).toEqual(before.slice(3, 7));
    });

    test("at and level; an index past the end appends", async () => {
        const before = api.users();
        api.driftNext([
            { op: "insert", at: 2, level: "high" },
            { op: "insert", at: 99, level: "medium" },
        ]);
        await page(1);
        await page(1);
        const after = api.users();
        expect(after).toHaveLength(before.length + 2);
        expect(after[2]?.max_risk_level).toBe("high");
        expect(after[after.length - 1]?.max_risk_level).toBe("medium");
        expect(after.filter((_, i) => i !== 2 && i !== after.length - 1)).toEqual(before);
        expect(new Set(ids(after)).size).toBe(after.length);
        expect(new Set(after.map((u) => u.email)).size).toBe(after.length);
    });

    test("times: one new user per request, all different, the same ones after a reset; none reused from the account", async () => {
        // The first generated user is taken already: the insert skips it.
        api.addUser(driftUser(1, "example.com", "high"));
        api.driftNext([{ op: "insert", times: 3 }]);
        for (let i = 0; i < 3; i++) await page(1);
        const first = api.users().slice(0, 3);
        expect(first).toEqual([4, 3, 2].map((n) => driftUser(n, "example.com")));

        api.reset();
        api.driftNext([{ op: "insert", times: 2 }]);
        await page(1);
        await page(1);
        expect(api.users().slice(0, 2)).toEqual([driftUser(2, "example.com"), driftUser(1, "example.com")]);
    });

    test("a new user takes the account's main email domain", async () => {
        api.driftNext([{ op: "insert" }], accountB);
        await page(1, { accountId: accountB });
        expect(api.users(accountB)[0]?.email).toMatch(/@b\.example$/);
    });
});

describe("remove", () => {
    test("default 0, at, and an index past the end removes the last", async () => {
        const before = api.users();
        api.driftNext([{ op: "remove" }, { op: "remove", at: 2 }, { op: "remove", at: 99 }]);
        await page(1);
        expect(api.users()).toEqual(before.slice(1));
        await page(1);
        expect(api.users()).toEqual([before[1], before[2], before[4], ...before.slice(5)]);
        await page(1);
        expect(api.users()).toEqual([before[1], before[2], before[4], ...before.slice(5, -1)]);
    });

    test("after page 1, the first user of page 2 moves to page 1: a reader that pages never sees it", async () => {
        const before = api.users();
        api.driftNext([{ op: "remove" }]);
        const seen = [...(await page(1)), ...(await page(2)), ...(await page(3))];
        expect(ids(seen)).toEqual(ids([...before.slice(0, 4), ...before.slice(5)]));
    });
});

describe("move", () => {
    test("default: the last user to the front, level unchanged", async () => {
        const before = api.users();
        api.driftNext([{ op: "move" }]);
        await page(1);
        expect(api.users()).toEqual([before[before.length - 1], ...before.slice(0, -1)]);
    });

    test("from, to and level: the user is changed as setUserLevel changes it", async () => {
        const before = api.users();
        const target = before[7] as WireRiskUser;
        const level = target.max_risk_level === "high" ? "low" : "high";
        api.driftNext([{ op: "move", from: 7, to: 1, level }]);
        await page(1);
        const after = api.users();
        expect(after[1]).toEqual(withRiskLevel(target, level));
        expect(after[1]?.max_risk_level).toBe(level);
        expect(after.filter((_, i) => i !== 1)).toEqual(before.filter((_, i) => i !== 7));
    });

    test("indexes past the end mean the last user and the last place", async () => {
        const before = api.users();
        api.driftNext([
            { op: "move", from: 0, to: 99 },
            { op: "move", from: 99, to: 0 },
        ]);
        await page(1);
        expect(api.users()).toEqual([...before.slice(1), before[0]]);
        await page(1);
        expect(api.users()).toEqual(before);
    });

    test("a user whose risk rose moves to page 1 after it was read: a reader misses it and reads another twice", async () => {
        const before = api.users();
        api.driftNext([{ op: "move", level: "high" }]);
        const seen = [...(await page(1)), ...(await page(2)), ...(await page(3))];
        const last = before[before.length - 1] as WireRiskUser;
        expect(ids(seen)).not.toContain(last.user_id);
        expect(ids(seen).filter((id) => id === before[3]?.user_id)).toHaveLength(2);
        expect(api.users()[0]).toEqual(withRiskLevel(last, "high"));
    });

    test("times: 1000 drifts the account on every request", async () => {
        const before = api.users();
        api.driftNext([{ op: "move", times: 1000 }]);
        for (let i = 0; i < 3; i++) await page(1);
        expect(api.users()).toEqual([...before.slice(-3), ...before.slice(0, -3)]);
    });
});

describe("none and the queue", () => {
    test("none: no change, so that the next step reaches a later request", async () => {
        const before = api.users();
        api.driftNext([{ op: "none", times: 2 }, { op: "remove" }]);
        await page(1);
        await page(2);
        expect(api.users()).toEqual(before);
        await page(3);
        expect(api.users()).toEqual(before.slice(1));
        await page(1);
        expect(api.users()).toEqual(before.slice(1)); // the queue is empty
    });

    test("steps queued by two calls run one after the other", async () => {
        const before = api.users();
        api.driftNext([{ op: "remove" }]);
        api.driftNext([{ op: "move" }]);
        await page(1);
        await page(1);
        expect(api.users()).toEqual([before[before.length - 1], ...before.slice(1, -1)]);
    });

    test("each account has its own queue, used by its own requests only", async () => {
        const a = api.users(accountA);
        const b = api.users(accountB);
        api.driftNext([{ op: "remove" }], accountB);
        await page(1, { accountId: accountA });
        expect(api.users(accountA)).toEqual(a);
        expect(api.users(accountB)).toEqual(b);
        await page(1, { accountId: accountB });
        expect(api.users(accountB)).toEqual(b.slice(1));
        expect(api.users(accountA)).toEqual(a);
    });

    test("on an empty account remove and move do nothing; insert adds the first user", async () => {
        api.driftNext([{ op: "remove" }, { op: "move", level: "high" }, { op: "insert", at: 5 }], emptyAccount);
        await page(1, { accountId: emptyAccount });
        await page(1, { accountId: emptyAccount });
        expect(api.users(emptyAccount)).toEqual([]);
        await page(1, { accountId: emptyAccount });
        expect(api.users(emptyAccount)).toEqual([driftUser(1, "example.com")]);
    });

    test("an invalid step or an unknown account is refused by driftNext, and nothing is queued", async () => {
        const before = api.users();
        expect(() => api.driftNext([{ op: "shuffle" } as never])).toThrow(ZodError);
        expect(() => api.driftNext([{ op: "remove", at: -1 }])).toThrow(ZodError);
        expect(() => api.driftNext([{ op: "move", level: "critical" } as never])).toThrow(ZodError);
        expect(() => api.driftNext([{ op: "none", times: 0 }])).toThrow(ZodError);
        expect(() => api.driftNext([{ op: "remove" }, { op: "insert", at: 1.5 }])).toThrow(ZodError);
        expect(() => api.driftNext([{ op: "remove" }], "d".repeat(32))).toThrow(LocalApiNotFoundError);
        await page(1);
        expect(api.users()).toEqual(before);
    });
});

describe("which requests use a step", () => {
    test("the change lands after the response: page 1 from the old list, page 2 from the new", async () => {
        const before = api.users();
        api.driftNext([{ op: "none" }, { op: "insert" }]);
        const first = await page(1);
        const second = await page(2);
        const third = await page(3);
        expect(first).toEqual(before.slice(0, 4));
        expect(second).toEqual(before.slice(4, 8)); // "none" after page 1; the insert after page 2
        expect(third).toEqual(before.slice(7, 10)); // shifted by one
        expect(third[0]).toEqual(second[3]);
    });

    test("not by scripted failures, errors, control requests or other accounts; by `pass` and pages past the end", async () => {
        const before = api.users();
        api.driftNext([{ op: "remove", times: 2 }]);
        api.failNext([{ kind: "status", status: 503 }, { kind: "ignorePage" }, { kind: "malformed" }]);
        expect((await summary()).status).toBe(503);
        expect((await summary({ page: 2 })).status).toBe(200); // ignorePage: a page, but a scripted one
        expect((await summary()).status).toBe(200); // malformed
        expect((await summary({}, { token: "wrong" })).status).toBe(403);
        expect((await summary({ page: 0 })).status).toBe(400);
        expect((await summary({}, { accountId: "d".repeat(32) })).status).toBe(404);
        expect((await control("requests", undefined, "GET")).status).toBe(200);
        await page(1, { accountId: accountB });
        expect(api.users()).toEqual(before);

        api.failNext([{ kind: "pass" }]);
        await page(1);
        expect(api.users()).toEqual(before.slice(1));
        expect(await page(99)).toEqual([]);
        expect(api.users()).toEqual(before.slice(2));
    });
});

describe("cachePages", () => {
    test("a drift empties the page cache: the next request renders the new list", async () => {
        const server = await startLocalCloudflareApi({ size: 10, seed: 5, cachePages: true });
        try {
            const before = server.users();
            expect(await page(1, { server })).toEqual(before.slice(0, 4)); // now cached
            server.driftNext([{ op: "move", from: 9, to: 0 }, { op: "none" }]);
            expect(await page(1, { server })).toEqual(before.slice(0, 4)); // served before the move
            const moved = [before[9], ...before.slice(0, 3)];
            expect(await page(1, { server })).toEqual(moved);
            expect(await page(1, { server })).toEqual(moved);
            expect(server.users().slice(0, 4)).toEqual(moved);
        } finally {
            await server.stop();
        }
    });
});

describe("reset", () => {
    test("restores the dataset and drops queued steps", async () => {
        const before = api.users();
        api.driftNext([{ op: "insert", times: 5 }]);
        await page(1);
        expect(api.users()).not.toEqual(before);
        api.reset();
        expect(api.users()).toEqual(before);
        await page(1);
        await page(2);
        expect(api.users()).toEqual(before);
    });
});

describe("POST /__control/drift", () => {
    test("queues steps for the default account, or for accountId", async () => {
        const before = api.users();
        const b = api.users(accountB);
        const steps: ScriptedDrift[] = [
            { op: "move", level: "high" },
            { op: "remove", at: 99 },
        ];
        expect(await control("drift", { steps })).toEqual({
            status: 200,
            json: { success: true, errors: [], messages: [], result: { queued: 2 } },
        });
        expect((await control("drift", { steps: [{ op: "remove" }], accountId: accountB })).status).toBe(200);
        await page(1);
        const last = before[before.length - 1] as WireRiskUser;
        expect(api.users()).toEqual([withRiskLevel(last, "high"), ...before.slice(0, -1)]);
        await page(1);
        expect(api.users()).toEqual([withRiskLevel(last, "high"), ...before.slice(0, -2)]);
        expect(api.users(accountB)).toEqual(b);
        await page(1, { accountId: accountB });
        expect(api.users(accountB)).toEqual(b.slice(1));
    });

    test.each<[string, unknown, string]>([
        ["a negative index", { steps: [{ op: "insert", at: -1 }] }, "steps[0].at"],
        ["an unknown op", { steps: [{ op: "none" }, { op: "shuffle" }] }, "steps[1].op"],
        ["an unknown level", { steps: [{ op: "move", level: "critical" }] }, "steps[0].level"],
        ["times 0", { steps: [{ op: "remove", times: 0 }] }, "steps[0].times"],
        ["no steps", {}, "steps"],
        ["a bare array", [{ op: "remove" }], "expected object"],
        ["a numeric account id", { steps: [], accountId: 7 }, "accountId"],
    ])("refuses %s with a 400 that names it, and queues nothing", async (_, body, named) => {
        const before = api.users();
        const res = await control("drift", body);
        expect(res.status).toBe(400);
        expect(res.json.success).toBe(false);
        expect(res.json.errors[0].code).toBe(1001);
        expect(res.json.errors[0].message).toContain(named);
        await page(1);
        expect(api.users()).toEqual(before);
    });

    test("invalid JSON is a 400, GET a 405, an unknown account a 404", async () => {
        expect((await control("drift", "{not json")).status).toBe(400);
        expect((await control("drift", undefined, "GET")).status).toBe(405);
        const unknown = await control("drift", { steps: [{ op: "remove" }], accountId: "d".repeat(32) });
        expect(unknown.status).toBe(404);
        expect(unknown.json.errors[0].message).toContain("d".repeat(32));
    });

    test("POST /__control/reset drops the steps queued over HTTP", async () => {
        const before = api.users();
        expect((await control("drift", { steps: [{ op: "remove", times: 3 }] })).status).toBe(200);
        await page(1);
        expect((await control("reset", undefined)).status).toBe(200);
        expect(api.users()).toEqual(before);
        await page(1);
        expect(api.users()).toEqual(before);
    });
});
