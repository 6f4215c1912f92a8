import { once } from "node:events";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { summaryEnvelope } from "../../../../dev/local-api/cloudflareEnvelope";
import { pageOf } from "../../../../dev/local-api/paging";
import { generateRiskDataset } from "../../../../dev/local-api/riskDataset";
import { fetchRiskSummary } from "../../../../index";

const users = generateRiskDataset({ size: 400, seed: 5 });
let server: Server;
let baseUrl: string;
let inFlight = 0;
let maxInFlight = 0;
let requests = 0;
/** The concurrency under test: the server holds answers until that many requests are in flight. */
let target = 1;

beforeAll(async () => {
    // A real server on loopback that holds each page until `target` requests are in flight (or, for
    // page 1 alone and the last pages, half a second), to observe how many are requested at once
    // however slowly a loaded machine sends them.
    server = createServer((req, res) => {
        requests++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        // Pages of at most 20, whatever is asked, so that a read takes 20 requests.
        const { items, resultInfo } = pageOf(
            users,
            Number(url.searchParams.get("page") ?? "1"),
            Math.min(20, Number(url.searchParams.get("per_page") ?? "20")),
        );
        const arrived = Date.now();
        const answer = () => {
            if (inFlight < target && Date.now() - arrived < 500) return void setTimeout(answer, 5);
            // The others held with this one see the peak before any is answered.
            setImmediate(() => {
                inFlight--;
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(summaryEnvelope(items, resultInfo)));
            });
        };
        setTimeout(answer, 15);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
    inFlight = 0;
    maxInFlight = 0;
    requests = 0;
});

describe("fetchRiskSummary over real sockets", () => {
    it.each([1, 3, 8])("never has more than %i pages in flight", async (concurrency) => {
        target = concurrency;
        const summary = await fetchRiskSummary({ accountId: "0123456789abcdef0123456789abcdef", apiToken: "t", baseUrl, concurrency });
        expect(summary.users).toHaveLength(400);
        expect(requests).toBe(20);
        expect(maxInFlight).toBe(concurrency);
    });
});
