import { Agent, request } from "undici";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../../../dev/local-api";
import { riskSummaryPageSchema, type RiskSummaryPage } from "../../../../provider/client/schema";

// The fault-matrix knobs of the embedded server, over real sockets. One agent for the file, closed
// at the end, so that no keep-alive client socket outlives the tests.
const agent = new Agent({ keepAliveTimeout: 1_000 });
afterAll(() => agent.close());

let api: LocalCloudflareApi;
beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 60, seed: 3 });
});
afterAll(() => api.stop());
beforeEach(() => api.reset());

interface Got {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
}

function summaryUrl(query: Record<string, number> = {}): string {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    return `${api.baseUrl}/accounts/${api.accountId}/zt_risk_scoring/summary${params.size > 0 ? `?${params}` : ""}`;
}

async function summary(query: Record<string, number> = {}): Promise<Got> {
    const res = await request(summaryUrl(query), { headers: { authorization: `Bearer ${api.credentials.apiToken}` }, dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** The raw JSON of a page, edits included. */
async function rawPage(
    query: Record<string, number> = {},
): Promise<{ result: { users: Record<string, unknown>[] } } & Record<string, unknown>> {
    const res = await summary(query);
    expect(res.status).toBe(200);
    return JSON.parse(res.text);
}

async function normalPage(query: Record<string, number> = {}): Promise<RiskSummaryPage> {
    return riskSummaryPageSchema.parse(await rawPage(query));
}

describe("fault-matrix knobs", () => {
    test("pass: the normal answer, so that the next failure reaches the request after it", async () => {
        api.failNext([{ kind: "pass" }, { kind: "status", status: 500 }]);
        expect((await normalPage()).result.users).toEqual(api.users().slice(0, 20));
        expect((await summary()).status).toBe(500);
        expect((await summary()).status).toBe(200);
    });

    test("trickle: headers at once, then the body a few bytes at a time, complete and unchanged", async () => {
        const expected = await summary();
        api.failNext([{ kind: "trickle", bytes: 1024, intervalMs: 60 }]);
        const started = Date.now();
        const res = await request(summaryUrl(), { headers: { authorization: `Bearer ${api.credentials.apiToken}` }, dispatcher: agent });
        const headersAfter = Date.now() - started;
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(expected.text)));
        const text = await res.body.text();
        const bodyAfter = Date.now() - started;
        expect(text).toBe(expected.text);
        const chunks = Math.ceil(Buffer.byteLength(expected.text) / 1024);
        expect(bodyAfter).toBeGreaterThanOrEqual(chunks * 60 - 30);
        expect(headersAfter).toBeLessThan(bodyAfter / 2);
    });

    test("trickle: the timer ends with the connection", async () => {
        const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
        const before = timers();
        api.failNext([{ kind: "trickle", bytes: 1, intervalMs: 20 }]);
        const controller = new AbortController();
        const res = await request(summaryUrl(), {
            headers: { authorization: `Bearer ${api.credentials.apiToken}` },
            dispatcher: agent,
            signal: controller.signal,
        });
        expect(timers()).toBeGreaterThan(before);
        controller.abort();
        await expect(res.body.text()).rejects.toThrow();
        for (let i = 0; i < 50 && timers() > before; i++) await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 100));
        expect(timers()).toBeLessThanOrEqual(before);
    });

    test('unknownLevel: one user\'s max_risk_level outside the enum, default "critical", index clamped', async () => {
        api.failNext([
            { kind: "unknownLevel", level: "severe", index: 2 },
            { kind: "unknownLevel", index: 99 },
        ]);
        const users = api.users().slice(0, 20);
        expect((await rawPage()).result.users).toEqual(users.map((u, i) => (i === 2 ? { ...u, max_risk_level: "severe" } : u)));
        expect((await rawPage()).result.users).toEqual(users.map((u, i) => (i === 19 ? { ...u, max_risk_level: "critical" } : u)));
    });

    test("dropField: one field removed from one user", async () => {
        api.failNext([{ kind: "dropField", field: "user_id", index: 1 }]);
        const served = (await rawPage()).result.users;
        const { user_id, ...withoutId } = api.users()[1]!;
        expect(user_id).toBeDefined();
        expect(served[1]).toEqual(withoutId);
        expect(served.filter((u) => !("user_id" in u))).toHaveLength(1);
    });

    test("extraFields: undocumented fields everywhere; the documented ones unchanged", async () => {
        api.failNext([{ kind: "extraFields" }]);
        const raw = await rawPage({ page: 2 });
        expect(raw).toMatchObject({
            meta: expect.any(Object),
            result: { trend: expect.any(Object) },
            result_info: { cursor: expect.any(String) },
        });
        expect(raw.result.users.every((u) => "risk_score" in u && "department" in u)).toBe(true);
        expect(riskSummaryPageSchema.parse(raw)).toEqual(await normalPage({ page: 2 }));
    });

    test("totalPages: result_info says another total; the users are the same", async () => {
        api.failNext([
            { kind: "totalPages", totalPages: 7, totalCount: 99 },
            { kind: "totalPages", totalPages: 1 },
        ]);
        const grown = await normalPage();
        expect(grown.result_info).toEqual({ count: 20, page: 1, per_page: 20, total_count: 99, total_pages: 7 });
        expect(grown.result.users).toEqual(api.users().slice(0, 20));
        expect((await normalPage()).result_info).toMatchObject({ total_count: 60, total_pages: 1 });
    });

    test("refusePerPage: a 400 naming per_page for a page larger than `max`; the normal answer otherwise", async () => {
        api.failNext([{ kind: "refusePerPage", times: 3 }]);
        const refused = await summary({ page: 1, per_page: 1000 });
        expect(refused.status).toBe(400);
        expect(JSON.parse(refused.text)).toEqual({
            success: false,
            errors: [{ code: 1001, message: "per_page must be at most 100, got 1000" }],
            messages: [],
            result: null,
        });
        expect((await normalPage({ page: 1, per_page: 100 })).result.users).toHaveLength(60);
        expect((await normalPage()).result.users).toEqual(api.users().slice(0, 20));
    });

    test("resultInfo: fields set or removed as a server might fill them, or no result_info at all", async () => {
        api.failNext([
            { kind: "resultInfo", set: { per_page: 0, page: "1", cursor: null }, remove: ["count"] },
            { kind: "resultInfo", whole: "absent" },
            { kind: "resultInfo", whole: "null" },
        ]);
        const edited = await rawPage();
        expect(edited.result_info).toEqual({ page: "1", per_page: 0, total_count: 60, total_pages: 3, cursor: null });
        expect(edited.result.users).toEqual(api.users().slice(0, 20));
        expect("result_info" in (await rawPage())).toBe(false);
        expect((await rawPage()).result_info).toBeNull();
    });

    test("duplicateUsers: the page starts with the last users of the page before; page 1 has none before it", async () => {
        api.failNext([{ kind: "duplicateUsers", count: 2, times: 2 }]);
        const second = await normalPage({ page: 2 });
        expect(second.result.users).toEqual(api.users().slice(18, 40));
        expect(second.result_info).toMatchObject({ count: 22, page: 2, total_count: 60 });
        expect((await normalPage()).result.users).toEqual(api.users().slice(0, 20));
    });

    test("oversized: the page plus a padding string of the given size, with or without content-length", async () => {
        api.failNext([
            { kind: "oversized", bytes: 200_000 },
            { kind: "oversized", bytes: 200_000, chunked: true },
        ]);
        for (const chunked of [false, true]) {
            const res = await summary();
            expect(res.status).toBe(200);
            expect(res.headers["content-length"]).toBe(chunked ? undefined : String(Buffer.byteLength(res.text)));
            if (chunked) expect(res.headers["transfer-encoding"]).toBe("chunked");
            const body = JSON.parse(res.text);
            expect(body.padding).toHaveLength(200_000);
            expect(riskSummaryPageSchema.parse(body).result.users).toEqual(api.users().slice(0, 20));
        }
    });

    test("oversized: an error answer (here, a wrong token) is sent as it is", async () => {
        api.failNext([{ kind: "oversized", bytes: 200_000 }]);
        const res = await request(summaryUrl(), { headers: { authorization: "Bearer wrong" }, dispatcher: agent });
        expect(res.statusCode).toBe(403);
        expect((await res.body.text()).length).toBeLessThan(1000);
    });

    test("POST /__control/fail accepts the new kinds and refuses malformed ones", async () => {
        const post = async (body: unknown): Promise<number> => {
            const res = await request(`${api.origin}/__control/fail`, {
                method: "POST",
                dispatcher: agent,
                headers: { "content-type": "application/json" },
                body: JSON.stringify(body),
            });
            await res.body.dump();
            return res.statusCode;
        };
        expect(
            await post([
                { kind: "pass" },
                { kind: "trickle", bytes: 8, intervalMs: 50 },
                { kind: "unknownLevel" },
                { kind: "dropField", field: "email" },
                { kind: "extraFields", times: 2 },
                { kind: "totalPages", totalPages: 0 },
                { kind: "duplicateUsers" },
                { kind: "oversized", bytes: 4096, chunked: true },
            ]),
        ).toBe(200);
        api.reset();
        for (const bad of [
            { kind: "trickle", bytes: 0 },
            { kind: "unknownLevel", index: -1 },
            { kind: "dropField", field: "password" },
            { kind: "dropField" },
            { kind: "totalPages" },
            { kind: "duplicateUsers", count: 0 },
            { kind: "oversized" },
            { kind: "oversized", bytes: 10, chunked: "yes" },
            { kind: "refusePerPage", max: 0 },
            { kind: "resultInfo", whole: "empty" },
            { kind: "resultInfo", remove: "count" },
        ]) {
            expect({ bad, status: await post([bad]) }).toEqual({ bad, status: 400 });
        }
        expect((await summary()).status).toBe(200);
    });
});

describe("perPageAboveMax", () => {
    test('"refuse" answers a per_page above maxPerPage with a 400 naming per_page; "clamp" (the default) serves maxPerPage', async () => {
        const refusing = await startLocalCloudflareApi({ size: 30, defaultPerPage: 5, maxPerPage: 10, perPageAboveMax: "refuse" });
        const clamping = await startLocalCloudflareApi({ size: 30, defaultPerPage: 5, maxPerPage: 10 });
        try {
            const get = async (server: LocalCloudflareApi, perPage: number) => {
                const url = `${server.baseUrl}/accounts/${server.accountId}/zt_risk_scoring/summary?page=1&per_page=${perPage}`;
                const res = await request(url, { headers: { authorization: `Bearer ${server.credentials.apiToken}` }, dispatcher: agent });
                return { status: res.statusCode, body: JSON.parse(await res.body.text()) as Record<string, unknown> };
            };
            expect(await get(refusing, 11)).toEqual({
                status: 400,
                body: {
                    success: false,
                    errors: [{ code: 1001, message: "per_page must be at most 10, got 11" }],
                    messages: [],
                    result: null,
                },
            });
            expect((await get(refusing, 10)).status).toBe(200);
            expect(await get(clamping, 11)).toMatchObject({ status: 200, body: { result_info: { per_page: 10, total_pages: 3 } } });
        } finally {
            await Promise.all([refusing.stop(), clamping.stop()]);
        }
        await expect(startLocalCloudflareApi({ perPageAboveMax: "drop" as never })).rejects.toThrow(RangeError);
    });
});
