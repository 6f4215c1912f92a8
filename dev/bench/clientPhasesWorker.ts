import { request } from "undici";
import { cloudflareGet } from "../../provider/client/get";
import { argumentNames } from "../../provider/client/credentials";
import { fetchAccountRiskUsers } from "../../provider/client/pages";
import { fetchRiskSummary } from "../../provider/summary/fetchRiskSummary";
import { resolveRequestSettings } from "../../provider/client/requestSettings";
import { RequestLimiter } from "../../provider/client/limiter";
import { defaultRetryPolicy } from "../../provider/client/retry";
import { validateRiskSummaryPage } from "../../provider/client/parsePage";
import { deriveRiskUserViews } from "../../provider/summary/riskSummary";
import { buildRiskSummary } from "../../provider/summary/buildRiskSummary";
import { riskSummaryPageSchema } from "../../provider/client/schema";
import { byEmailThenId } from "../../provider/model/riskUser";
import { toRiskUser } from "../../provider/summary/toRiskUser";
import { type ApiTarget, bearer, summaryUrl } from "./apiTarget";
import { median } from "./measure";
import { workerMain } from "./workerProtocol";

/**
 * Where the time of `fetchRiskSummary` goes on one large response: each step of the read timed on
 * its own, through the package's own functions, next to the floor. Medians of `iterations` passes
 * after `warmups` discarded ones, in one process.
 */

export const clientPhaseNames = [
    "floor",
    "request",
    "parse",
    "validateZod",
    "validate",
    "fetchAccount",
    "map",
    "sort",
    "views",
    "build",
    "total",
] as const;
export type ClientPhase = (typeof clientPhaseNames)[number];

export const clientPhaseLabels: Record<ClientPhase, string> = {
    floor: "the floor: undici `request` + `body.json()`",
    request: "request and body as text (`cloudflareGet`)",
    parse: "`JSON.parse` of that text",
    validateZod: "zod on the whole page (`riskSummaryPageSchema.parse`): what the fast path falls back to",
    validate: "schema validation as the read runs it (`validateRiskSummaryPage`: the users in `checkRiskUsers`' loop)",
    fetchAccount: "`fetchAccountRiskUsers`: the three above + de-duplication by `user_id`",
    map: "wire → SDK field names (`toRiskUser` on every user)",
    sort: "sort by email, then id (`byEmailThenId`)",
    views: "per-level lists and high-risk emails (`deriveRiskUserViews`)",
    build: "`buildRiskSummary`: mapping + filters + sort + views + counts",
    total: "`fetchRiskSummary`, end to end",
};

export interface ClientPhasesArgs {
    readonly target: ApiTarget;
    readonly expectedUsers: number;
    readonly warmups: number;
    readonly iterations: number;
}

export type ClientPhases = Record<ClientPhase, number>;

async function timed<T>(into: number[], step: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    const value = await step();
    into.push(performance.now() - start);
    return value;
}

async function phases(args: ClientPhasesArgs): Promise<ClientPhases> {
    const { target } = args;
    const times = Object.fromEntries(clientPhaseNames.map((p) => [p, [] as number[]])) as Record<ClientPhase, number[]>;
    const url = new URL(summaryUrl(target));
    const requestPath = `${url.pathname}${url.search}`;
    const settings = () =>
        resolveRequestSettings(
            target.accountId,
            {},
            [{ values: { apiToken: target.apiToken, baseUrl: target.baseUrl }, names: argumentNames }],
            undefined,
            new RequestLimiter(),
        );
    const expect = (what: string, users: number) => {
        if (users !== args.expectedUsers) throw new Error(`${what} read ${users} users, expected ${args.expectedUsers}`);
    };

    for (let i = 0; i < args.warmups + args.iterations; i++) {
        const into = (phase: ClientPhase) => (i < args.warmups ? [] : times[phase]);

        const floor = await timed(
            into("floor"),
            async () => (await request(url, { headers: bearer(target) })).body.json() as Promise<{ result: { users: unknown[] } }>,
        );
        expect("floor", floor.result.users.length);

        const response = await timed(into("request"), () =>
            cloudflareGet({
                url,
                requestPath,
                headers: bearer(target),
                deadline: Date.now() + 60_000,
                retry: { ...defaultRetryPolicy, maxRetries: 0 },
                limiter: new RequestLimiter(),
            }),
        );
        const json: unknown = await timed(into("parse"), () => JSON.parse(response.body));
        const zodPage = await timed(into("validateZod"), () => riskSummaryPageSchema.parse(json));
        expect("validateZod", zodPage.result.users.length);
        const page = await timed(into("validate"), () => validateRiskSummaryPage(json, requestPath));
        expect("validate", page.result.users.length);

        const account = await timed(into("fetchAccount"), () => fetchAccountRiskUsers(settings()));
        const mapped = await timed(into("map"), () => account.users.map(toRiskUser));
        const sorted = await timed(into("sort"), () => [...mapped].sort(byEmailThenId));
        await timed(into("views"), () => deriveRiskUserViews(sorted));
        const summary = await timed(into("build"), () => buildRiskSummary(target.accountId, account.users, {}, account.fetchedAt));
        expect("build", summary.users.length);

        const total = await timed(into("total"), () =>
            fetchRiskSummary({
                accountId: target.accountId,
                apiToken: target.apiToken,
                baseUrl: target.baseUrl,
                limiter: new RequestLimiter(),
            }),
        );
        expect("fetchRiskSummary", total.users.length);
    }
    return Object.fromEntries(clientPhaseNames.map((p) => [p, median(times[p])])) as ClientPhases;
}

workerMain(module, phases);
