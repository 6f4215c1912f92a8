import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { riskLevelSchema, type WireRiskUser } from "../../provider/client/schema";
import { type RiskLevel } from "../../provider/model/riskLevel";
import { apiErrors, errorEnvelope } from "./cloudflareEnvelope";
import type { RequestLogEntry } from "./requestLog";
import { scriptedDriftListSchema, type ScriptedDrift } from "./scriptedDrift";
import { scriptedFailureListSchema, type ScriptedFailure } from "./scriptedFailures";

/**
 * `/__control/*`: the test knobs over HTTP, for when the local API runs as a separate process
 * (the demo, shell scripts). Same operations as the in-process API, bodies validated with zod.
 */

export const controlPathPrefix = "/__control/";

/** The operations the control routes drive; implemented by the local API's state. */
export interface ControlTarget {
    setUserLevel(emailOrUserId: string, level: RiskLevel, accountId?: string): WireRiskUser;
    failNext(failures: ScriptedFailure[]): void;
    driftNext(steps: ScriptedDrift[], accountId?: string): void;
    setLatency(ms: number): void;
    requestLog(): RequestLogEntry[];
    reset(): void;
}

/** Thrown by the target when a user or account does not exist; answered with 404. */
export class LocalApiNotFoundError extends Error {
    override readonly name = "LocalApiNotFoundError";
}

export interface ControlResponse {
    status: number;
    body: unknown;
}

const setLevelBodySchema = z.object({ level: riskLevelSchema, accountId: z.string().optional() });
/** `POST /__control/drift`: the steps, for the default account unless `accountId` names another. */
export const driftBodySchema = z.object({ steps: scriptedDriftListSchema, accountId: z.string().optional() });
const latencyBodySchema = z.object({ ms: z.number().int().min(0) });
const maxControlBodyBytes = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxControlBodyBytes) throw new SyntaxError("control body too large");
        chunks.push(chunk);
    }
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const ok = (result: unknown): ControlResponse => ({ status: 200, body: { success: true, errors: [], messages: [], result } });
const badRequest = (message: string): ControlResponse => ({ status: 400, body: errorEnvelope(1001, message) });

type Parsed<T> = { ok: true; value: T } | { ok: false; response: ControlResponse };

/** Parses the body with `schema`, or explains in a 400 why it could not. */
async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<Parsed<T>> {
    let json: unknown;
    try {
        json = await readJson(req);
    } catch (error) {
        return { ok: false, response: badRequest(`invalid JSON body: ${(error as Error).message}`) };
    }
    const parsed = schema.safeParse(json);
    return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, response: badRequest(`invalid body: ${z.prettifyError(parsed.error)}`) };
}

export async function handleControlRequest(req: IncomingMessage, pathname: string, target: ControlTarget): Promise<ControlResponse> {
    const route = pathname.slice(controlPathPrefix.length);
    const method = req.method ?? "GET";
    const expect = (wanted: string): ControlResponse | undefined =>
        method === wanted ? undefined : { status: 405, body: apiErrors.methodNotAllowed() };

    if (route.startsWith("users/") && route.length > "users/".length) {
        const wrongMethod = expect("POST");
        if (wrongMethod) return wrongMethod;
        const body = await parseBody(req, setLevelBodySchema);
        if (!body.ok) return body.response;
        try {
            const id = decodeURIComponent(route.slice("users/".length));
            return ok(target.setUserLevel(id, body.value.level, body.value.accountId));
        } catch (error) {
            if (error instanceof LocalApiNotFoundError) return { status: 404, body: errorEnvelope(1003, error.message) };
            if (error instanceof URIError) return badRequest("invalid percent-encoding in user id");
            throw error;
        }
    }
    switch (route) {
        case "fail": {
            const wrongMethod = expect("POST");
            if (wrongMethod) return wrongMethod;
            const body = await parseBody(req, scriptedFailureListSchema);
            if (!body.ok) return body.response;
            target.failNext(body.value);
            return ok({ queued: body.value.length });
        }
        case "drift": {
            const wrongMethod = expect("POST");
            if (wrongMethod) return wrongMethod;
            const body = await parseBody(req, driftBodySchema);
            if (!body.ok) return body.response;
            try {
                target.driftNext(body.value.steps, body.value.accountId);
            } catch (error) {
                if (error instanceof LocalApiNotFoundError) return { status: 404, body: errorEnvelope(1003, error.message) };
                throw error;
            }
            return ok({ queued: body.value.steps.length });
        }
        case "latency": {
            const wrongMethod = expect("POST");
            if (wrongMethod) return wrongMethod;
            const body = await parseBody(req, latencyBodySchema);
            if (!body.ok) return body.response;
            target.setLatency(body.value.ms);
            return ok({ ms: body.value.ms });
        }
        case "requests":
            return expect("GET") ?? ok(target.requestLog());
        case "reset": {
            const wrongMethod = expect("POST");
            if (wrongMethod) return wrongMethod;
            target.reset();
            return ok(null);
        }
        default:
            return { status: 404, body: apiErrors.noRoute(pathname) };
    }
}
