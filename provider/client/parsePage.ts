import type { z } from "zod";
import { CloudflareApiError, CloudflareResponseError, RiskSummaryValidationError, type ValidationIssue } from "./errors";
import { issuePath } from "../errors/issuePath";
import { checkRiskUsers } from "./checkUsers";
import { checkRiskSummaryEnvelope } from "./checkEnvelope";
import type { RiskSummaryPage } from "./schema";

// zod is loaded when a page is not what the fast checks accept: to say what is wrong, or to decide.
let schemas: typeof import("./schema") | undefined;
const loadSchemas = (): typeof import("./schema") => (schemas ??= require("./schema") as typeof import("./schema"));

// A validation message says what type was found. It quotes a string only where the schema says what
// the field holds and that is not personal; anywhere else (say, a user record replaced by a string)
// the string could be an email.
const quotableFields = new Set(["max_risk_level", "last_event", "user_id", "success", "documentation_url", "pointer"]);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let value = root;
    for (const key of path) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<PropertyKey, unknown>)[key];
    }
    return value;
}

function describeFound(root: unknown, path: readonly PropertyKey[]): string {
    const value = valueAt(root, path);
    if (value === undefined) return "nothing (the field is missing)";
    if (value === null) return "null";
    const field = path[path.length - 1];
    if (typeof value === "string" && quotableFields.has(String(field))) {
        const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
        return `the string ${shown}`;
    }
    if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
    if (typeof value === "string") return `a string of ${value.length} characters`;
    return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

function toValidationIssues(error: z.ZodError, input: unknown): ValidationIssue[] {
    return error.issues.map((issue) => ({
        path: issuePath(issue.path) || "(body)",
        problem: `${issue.message}; found ${describeFound(input, issue.path)}`,
    }));
}

function firstChars(body: string): string {
    return body.trimStart().slice(0, 1) || "(empty)";
}

/**
 * Turns one HTTP response of the summary endpoint into a validated page, or throws the typed error
 * that says what went wrong: not JSON, an error envelope, an HTTP error, or a schema mismatch.
 */
export function parseRiskSummaryPage(status: number, contentType: string, body: string, requestPath: string): RiskSummaryPage {
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        const reason = /json/i.test(contentType)
            ? "the body is not valid JSON (truncated?)"
            : `the body is not JSON (it starts with "${firstChars(body)}"; an HTML page from a proxy or gateway?)`;
        throw new CloudflareResponseError(status, contentType, requestPath, reason);
    }
    if (status >= 200 && status < 300) {
        const page = fastPage(json);
        if (page !== undefined) return page;
    }
    const { cloudflareErrorEnvelopeSchema, envelopeHeadSchema } = loadSchemas();
    const head = envelopeHeadSchema.safeParse(json);
    if (!head.success) {
        if (status < 200 || status >= 300) throw new CloudflareApiError(status, [], requestPath);
        throw new RiskSummaryValidationError(toValidationIssues(head.error, json), requestPath);
    }
    if (!head.data.success) {
        const envelope = cloudflareErrorEnvelopeSchema.safeParse(json);
        throw new CloudflareApiError(status, envelope.success ? envelope.data.errors : [], requestPath);
    }
    if (status < 200 || status >= 300) throw new CloudflareApiError(status, [], requestPath);
    // The plain checks have already turned this page down.
    return validateWithZod(json, requestPath);
}

/** A successful page as the schema would build it, by the plain checks alone; undefined at the first doubt. */
function fastPage(json: unknown): RiskSummaryPage | undefined {
    const envelope = checkRiskSummaryEnvelope(json);
    const users = envelope === undefined ? undefined : checkRiskUsers(envelope.result.users);
    return envelope === undefined || users === undefined ? undefined : { ...envelope, result: { users } };
}

/** The schema's checks of a successful page: plain loops when it is valid, zod on the whole page for every error. */
export function validateRiskSummaryPage(json: unknown, requestPath: string): RiskSummaryPage {
    return fastPage(json) ?? validateWithZod(json, requestPath);
}

/** Something failed a plain check: zod, on the whole page, decides, and says what and where. */
function validateWithZod(json: unknown, requestPath: string): RiskSummaryPage {
    const page = loadSchemas().riskSummaryPageSchema.safeParse(json);
    if (!page.success) throw new RiskSummaryValidationError(toValidationIssues(page.error, json), requestPath);
    return page.data;
}
