import fc from "fast-check";
import { htmlErrorPage } from "../../../../dev/local-api/cloudflareEnvelope";
import { CloudflareApiError, CloudflareResponseError, RiskSummaryValidationError } from "../../../../provider/client/errors";
import { CloudflareRiskError } from "../../../../provider/errors/cloudflareRiskError";
import { parseRiskSummaryPage } from "../../../../provider/client/parsePage";
import type { ReadResultInfo, ResultInfo, RiskSummaryPage, WireRiskUser } from "../../../../provider/client/schema";
import type { CloudflareMessage } from "../../../../provider/errors/cloudflareMessage";
import { ensure, expectDeepEqual } from "../../../support/cheapExpect";
import {
    type ExtraFields,
    badDateTimeArb,
    badUuidArb,
    cloudflareMessageArb,
    contentTypeArb,
    extraFieldsArb,
    resultInfoArb,
    unknownLevelArb,
    wireUserArb,
    withExtras,
} from "../../../support/riskArbitraries";

// Every main property runs 10,000 cases in CI; fast-check prints the seed and the shrunk case on failure.
const numRuns = 10_000;
// Well above the few seconds each takes, for slow CI machines.
const propertyTimeoutMs = 120_000;

const summaryPath = "/client/v4/accounts/0123456789abcdef0123456789abcdef/zt_risk_scoring/summary";
const requestPathArb = fc.nat(40).map((page) => (page === 0 ? summaryPath : `${summaryPath}?page=${page}&per_page=20`));

const userFields = ["email", "event_count", "last_event", "max_risk_level", "name", "user_id"] as const;
// The totals prove a read complete and are checked strictly; the other fields are information, dropped when not as documented.
const strictResultInfoFields = ["total_count", "total_pages"] as const;
const looseResultInfoFields = ["count", "page", "per_page"] as const;

// By name, so that a counterexample prints the name rather than the class's source.
const typedErrors = { RiskSummaryValidationError, CloudflareApiError, CloudflareResponseError } as const;
type TypedErrorName = keyof typeof typedErrors;

type Expected =
    | { readonly kind: "page"; readonly page: RiskSummaryPage }
    | { readonly kind: "error"; readonly type: TypedErrorName; readonly path?: string; readonly apiErrors?: readonly CloudflareMessage[] }
    /** Fuzzed input without a precise oracle: the body's own users back, or a typed error. */
    | { readonly kind: "pageOrError" };

interface ResponseCase {
    readonly label: string;
    readonly status: number;
    readonly contentType: string;
    readonly body: string;
    readonly requestPath: string;
    readonly expected: Expected;
    /** The emails and names in the body, which no error message may repeat. */
    readonly personal: readonly string[];
}

// ---- valid envelopes -------------------------------------------------------------------------

interface EnvelopeParts {
    readonly users: WireRiskUser[];
    readonly errors: CloudflareMessage[];
    readonly messages: CloudflareMessage[];
    readonly resultInfo: ResultInfo | undefined;
    /** Extra fields, handed out in turn to every object of the envelope (top level, result, users, messages, ...). */
    readonly extras: (ExtraFields | undefined)[];
    readonly extrasFirst: boolean;
}

function envelopePartsArb(user: fc.Arbitrary<WireRiskUser>, minUsers: number): fc.Arbitrary<EnvelopeParts> {
    return fc.record({
        users: fc.array(user, { minLength: minUsers, maxLength: 6 }),
        errors: fc.array(cloudflareMessageArb, { maxLength: 2 }),
        messages: fc.array(cloudflareMessageArb, { maxLength: 2 }),
        resultInfo: fc.option(resultInfoArb, { nil: undefined }),
        extras: fc.array(fc.option(extraFieldsArb, { nil: undefined }), { maxLength: 4 }),
        extrasFirst: fc.boolean(),
    });
}

/** The wire envelope, unknown fields included. */
function envelopeOf(parts: EnvelopeParts): Record<string, unknown> {
    let slot = 0;
    const extend = (fields: Record<string, unknown>) =>
        withExtras(fields, parts.extras.length === 0 ? undefined : parts.extras[slot++ % parts.extras.length], parts.extrasFirst);
    const message = (m: CloudflareMessage) =>
        extend({ ...m, ...(m.source === undefined ? {} : { source: extend({ pointer: m.source.pointer }) }) });
    const fields: Record<string, unknown> = {
        success: true,
        errors: parts.errors.map(message),
        messages: parts.messages.map(message),
        result: extend({ users: parts.users.map((u) => extend({ ...u })) }),
    };
    if (parts.resultInfo !== undefined) fields.result_info = extend({ ...parts.resultInfo });
    return extend(fields);
}

function plainUser(u: WireRiskUser): WireRiskUser {
    return {
        email: u.email,
        event_count: u.event_count,
        last_event: u.last_event,
        max_risk_level: u.max_risk_level,
        name: u.name,
        user_id: u.user_id,
    };
}

function plainMessage(m: CloudflareMessage): CloudflareMessage {
    return {
        code: m.code,
        message: m.message,
        ...(m.documentation_url === undefined ? {} : { documentation_url: m.documentation_url }),
        ...(m.source === undefined ? {} : { source: { pointer: m.source.pointer } }),
    };
}

function plainResultInfo(info: ResultInfo): ResultInfo {
    return { count: info.count, page: info.page, per_page: info.per_page, total_count: info.total_count, total_pages: info.total_pages };
}

const isCount = (value: unknown, min: number): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= min;

/** What the parser keeps of a `result_info` whose totals are valid: the totals, and each other field that is as documented. */
function readResultInfo(info: Record<string, unknown>): ReadResultInfo {
    const kept: Record<string, unknown> = {};
    for (const [field, min] of [
        ["count", 0],
        ["page", 1],
        ["per_page", 1],
    ] as const) {
        if (isCount(info[field], min)) kept[field] = info[field];
    }
    return { ...kept, total_count: info.total_count as number, total_pages: info.total_pages as number } as ReadResultInfo;
}

/** What the parser must return: the input without its unknown fields. */
function expectedPage(parts: EnvelopeParts): RiskSummaryPage {
    return {
        success: true,
        errors: parts.errors.map(plainMessage),
        messages: parts.messages.map(plainMessage),
        result: { users: parts.users.map(plainUser) },
        ...(parts.resultInfo === undefined ? {} : { result_info: plainResultInfo(parts.resultInfo) }),
    };
}

// Personal values in cases checked for leaks carry this tag, which no other generated text contains,
// so a message holding any part of the tag repeats personal data.
const personalTag = "\u2039";
const tagUser = (u: WireRiskUser): WireRiskUser => ({
    ...u,
    email: `${personalTag}${u.email}\u203a`,
    name: `${personalTag}${u.name}\u203a`,
});
const taggedUserArb = wireUserArb().map(tagUser);
const personalOf = (users: readonly WireRiskUser[]) => users.flatMap((u) => [u.email, u.name]);

const jsonSpacingArb = fc.record({
    indent: fc.constantFrom<string | number | undefined>(undefined, undefined, 2, "\t"),
    around: fc.constantFrom("", "", "\n", " \r\n\t"),
});

function validCaseArb(user: fc.Arbitrary<WireRiskUser>): fc.Arbitrary<ResponseCase> {
    return fc
        .record({ parts: envelopePartsArb(user, 0), contentType: contentTypeArb, requestPath: requestPathArb, spacing: jsonSpacingArb })
        .map(({ parts, contentType, requestPath, spacing }) => ({
            label: "valid envelope",
            status: 200,
            contentType,
            requestPath,
            body: `${spacing.around}${JSON.stringify(envelopeOf(parts), null, spacing.indent)}${spacing.around}`,
            expected: { kind: "page", page: expectedPage(parts) },
            personal: personalOf(parts.users),
        }));
}

// ---- invalid envelopes: mutations of valid ones ---------------------------------------------

type Path = readonly (string | number)[];
type Json = Record<string | number, unknown>;

/** A path as the parser reports it, e.g. `result.users[3].max_risk_level`. */
const formatPath = (path: Path) => path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`)).join("");

function parentAt(root: Json, path: Path): Json {
    return path.slice(0, -1).reduce<Json>((node, key) => node[key] as Json, root);
}

// Both change the envelope in place: `envelopeOf` builds a fresh one for every case.
function withoutField(root: Json, path: Path): Json {
    delete parentAt(root, path)[path[path.length - 1]!];
    return root;
}

function withField(root: Json, path: Path, value: unknown): Json {
    parentAt(root, path)[path[path.length - 1]!] = value;
    return root;
}

type FieldKind = "string" | "integer" | "object" | "nullableObject" | "array" | "boolean";

/** The fields of this envelope that the schema requires, with the JSON type each must have. */
function requiredFields(parts: EnvelopeParts): [Path, FieldKind][] {
    const fields: [Path, FieldKind][] = [
        [["success"], "boolean"],
        [["errors"], "array"],
        [["messages"], "array"],
        [["result"], "object"],
        [["result", "users"], "array"],
    ];
    parts.users.forEach((_, i) => {
        for (const field of userFields) fields.push([["result", "users", i, field], field === "event_count" ? "integer" : "string"]);
    });
    if (parts.resultInfo !== undefined) for (const field of strictResultInfoFields) fields.push([["result_info", field], "integer"]);
    for (const list of ["errors", "messages"] as const) {
        parts[list].forEach((m, j) => {
            fields.push([[list, j, "code"], "integer"], [[list, j, "message"], "string"]);
            if (m.source !== undefined) fields.push([[list, j, "source", "pointer"], "string"]);
        });
    }
    return fields;
}

/** Every field whose type can be wrong: the required ones, the optional ones, and whole objects. */
function typedFields(parts: EnvelopeParts): [Path, FieldKind][] {
    const fields = requiredFields(parts);
    // null is accepted, as no result_info.
    fields.push([["result_info"], "nullableObject"]);
    parts.users.forEach((_, i) => fields.push([["result", "users", i], "object"]));
    for (const list of ["errors", "messages"] as const) {
        parts[list].forEach((_, j) =>
            fields.push([[list, j], "object"], [[list, j, "documentation_url"], "string"], [[list, j, "source"], "object"]),
        );
    }
    return fields;
}

/** Whether `value` has the wrong JSON type for a field of this kind (a safe integer is never wrong for an integer). */
function isWrongType(kind: FieldKind, value: unknown): boolean {
    switch (kind) {
        case "string":
            return typeof value !== "string";
        case "integer":
            return !(typeof value === "number" && Number.isSafeInteger(value));
        case "object":
            return value === null || typeof value !== "object" || Array.isArray(value);
        case "nullableObject":
            return value !== null && (typeof value !== "object" || Array.isArray(value));
        case "array":
            return !Array.isArray(value);
        case "boolean":
            return typeof value !== "boolean";
    }
}

const wrongValueArb: fc.Arbitrary<unknown> = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(2 ** 53, -(2 ** 53), 1e300),
    fc.boolean(),
    fc.constant(null),
    fc.constant({}),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
);

const errorStatusArb = fc.oneof(
    fc.constantFrom(400, 401, 403, 404, 409, 429, 500, 502, 503, 520),
    fc.integer({ min: 300, max: 599 }),
    fc.integer({ min: 100, max: 199 }),
);
const anyStatusArb = fc.oneof(fc.constant(200), errorStatusArb, fc.integer({ min: 201, max: 299 }));
const isNotEnvelope = (value: unknown) =>
    !(value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as Json).success === "boolean");

/** How to break a valid envelope; `pick` chooses the field (modulo the candidates), so every part shrinks on its own. */
type Mutation =
    | { readonly kind: "remove field"; readonly pick: number }
    | { readonly kind: "wrong type"; readonly pick: number; readonly value: unknown }
    | { readonly kind: "user record replaced by its own email or name"; readonly pick: number; readonly field: "email" | "name" }
    | { readonly kind: "unknown level"; readonly pick: number; readonly level: string }
    | { readonly kind: "negative count"; readonly pick: number; readonly count: number }
    | { readonly kind: "bad date-time"; readonly pick: number; readonly date: string }
    | { readonly kind: "bad UUID"; readonly pick: number; readonly id: string }
    | { readonly kind: "result_info out of range"; readonly field: (typeof strictResultInfoFields)[number]; readonly value: number }
    | {
          readonly kind: "informational result_info field not as documented";
          readonly field: (typeof looseResultInfoFields)[number];
          /** undefined: the field is missing. */
          readonly value: unknown;
      }
    | { readonly kind: "JSON that is not an envelope"; readonly value: unknown; readonly status: number }
    | {
          readonly kind: "error envelope";
          readonly status: number;
          readonly errors: CloudflareMessage[];
          readonly complete: boolean;
          readonly extras: ExtraFields | undefined;
      }
    | { readonly kind: "malformed error envelope"; readonly status: number; readonly broken: "errors" | "result" }
    | { readonly kind: "HTTP error status"; readonly status: number }
    | { readonly kind: "truncated JSON"; readonly cut: number; readonly status: number; readonly contentType: string }
    | { readonly kind: "HTML page"; readonly status: number; readonly text: string; readonly proxyPage: boolean }
    | { readonly kind: "text"; readonly text: string; readonly status: number; readonly contentType: string }
    | { readonly kind: "random bytes"; readonly bytes: Uint8Array; readonly status: number; readonly contentType: string };

const pickArb = fc.nat();
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant("remove field" as const), pick: pickArb }),
    fc.record({ kind: fc.constant("wrong type" as const), pick: pickArb, value: wrongValueArb }),
    fc.record({
        kind: fc.constant("user record replaced by its own email or name" as const),
        pick: pickArb,
        field: fc.constantFrom("email" as const, "name" as const),
    }),
    fc.record({ kind: fc.constant("unknown level" as const), pick: pickArb, level: unknownLevelArb }),
    fc.record({
        kind: fc.constant("negative count" as const),
        pick: pickArb,
        count: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }),
    }),
    fc.record({ kind: fc.constant("bad date-time" as const), pick: pickArb, date: badDateTimeArb }),
    fc.record({ kind: fc.constant("bad UUID" as const), pick: pickArb, id: badUuidArb }),
    fc.record({
        kind: fc.constant("result_info out of range" as const),
        field: fc.constantFrom(...strictResultInfoFields),
        value: fc.integer({ min: -1_000, max: -1 }),
    }),
    fc.record({
        kind: fc.constant("JSON that is not an envelope" as const),
        value: fc.jsonValue({ maxDepth: 2 }).filter(isNotEnvelope),
        status: anyStatusArb,
    }),
    fc.record({
        kind: fc.constant("error envelope" as const),
        status: anyStatusArb,
        errors: fc.array(cloudflareMessageArb, { minLength: 1, maxLength: 3 }),
        complete: fc.boolean(),
        extras: fc.option(extraFieldsArb, { nil: undefined }),
    }),
    fc.record({
        kind: fc.constant("malformed error envelope" as const),
        status: anyStatusArb,
        broken: fc.constantFrom("errors" as const, "result" as const),
    }),
    fc.record({ kind: fc.constant("HTTP error status" as const), status: errorStatusArb }),
    fc.record({ kind: fc.constant("truncated JSON" as const), cut: pickArb, status: anyStatusArb, contentType: contentTypeArb }),
    fc.record({
        kind: fc.constant("HTML page" as const),
        status: fc.constantFrom(200, 403, 404, 500, 502, 503, 520, 522, 524),
        text: fc.string({ maxLength: 30 }),
        proxyPage: fc.boolean(),
    }),
    fc.record({
        kind: fc.constant("text" as const),
        text: fc.string({ minLength: 1, maxLength: 40 }),
        status: anyStatusArb,
        contentType: contentTypeArb,
    }),
    fc.record({
        kind: fc.constant("random bytes" as const),
        bytes: fc.uint8Array({ maxLength: 64 }),
        status: anyStatusArb,
        contentType: contentTypeArb,
    }),
);

/** A `result_info` whose totals are valid but one informational field is missing, out of range or of another type. */
const looseResultInfoMutationArb: fc.Arbitrary<Mutation> = fc
    .record({
        kind: fc.constant("informational result_info field not as documented" as const),
        field: fc.constantFrom(...looseResultInfoFields),
        value: fc.oneof(fc.constant(undefined), fc.integer({ min: -1_000, max: 0 }), wrongValueArb),
    })
    .filter((m) => !isCount(m.value, m.field === "count" ? 0 : 1));

function isJson(text: string): boolean {
    try {
        JSON.parse(text);
        return true;
    } catch {
        return false;
    }
}

const pickFrom = <T>(candidates: readonly T[], pick: number): T => candidates[pick % candidates.length]!;

function mutate(parts: EnvelopeParts, requestPath: string, contentType: string, m: Mutation): ResponseCase {
    const envelope = envelopeOf(parts);
    const personal = personalOf(parts.users);
    const common = { label: m.kind, requestPath, contentType, personal };
    const schemaMismatch = (body: Json, path: Path): ResponseCase => ({
        ...common,
        status: 200,
        body: JSON.stringify(body),
        expected: { kind: "error", type: "RiskSummaryValidationError", path: formatPath(path) },
    });
    const apiError = (
        status: number,
        body: string,
        apiErrors: readonly CloudflareMessage[],
        personalInBody: readonly string[],
    ): ResponseCase => ({
        ...common,
        status,
        body,
        personal: personalInBody,
        expected: { kind: "error", type: "CloudflareApiError", apiErrors },
    });
    const notJson = (status: number, type: string, body: string, personalInBody: readonly string[]): ResponseCase => ({
        ...common,
        status,
        contentType: type,
        body,
        personal: personalInBody,
        // Random bytes are now and then JSON: then any outcome but a crash is acceptable.
        expected: isJson(body) ? { kind: "pageOrError" } : { kind: "error", type: "CloudflareResponseError" },
    });
    const userPath = (pick: number, field: string): Path => ["result", "users", pick % parts.users.length, field];
    switch (m.kind) {
        case "remove field": {
            const [path] = pickFrom(requiredFields(parts), m.pick);
            return schemaMismatch(withoutField(envelope, path), path);
        }
        case "wrong type": {
            const [path] = pickFrom(
                typedFields(parts).filter(([, kind]) => isWrongType(kind, m.value)),
                m.pick,
            );
            return schemaMismatch(withField(envelope, path, m.value), path);
        }
        case "user record replaced by its own email or name": {
            const i = m.pick % parts.users.length;
            const path: Path = ["result", "users", i];
            return schemaMismatch(withField(envelope, path, parts.users[i]![m.field]), path);
        }
        case "unknown level":
            return schemaMismatch(withField(envelope, userPath(m.pick, "max_risk_level"), m.level), userPath(m.pick, "max_risk_level"));
        case "negative count":
            return schemaMismatch(withField(envelope, userPath(m.pick, "event_count"), m.count), userPath(m.pick, "event_count"));
        case "bad date-time":
            return schemaMismatch(withField(envelope, userPath(m.pick, "last_event"), m.date), userPath(m.pick, "last_event"));
        case "bad UUID":
            return schemaMismatch(withField(envelope, userPath(m.pick, "user_id"), m.id), userPath(m.pick, "user_id"));
        case "result_info out of range": {
            const info = {
                ...(parts.resultInfo ?? { count: 1, page: 1, per_page: 20, total_count: 1, total_pages: 1 }),
                [m.field]: m.value,
            };
            return schemaMismatch(withField(envelope, ["result_info"], info), ["result_info", m.field]);
        }
        case "informational result_info field not as documented": {
            const info: Record<string, unknown> = {
                ...(parts.resultInfo ?? { count: 1, page: 1, per_page: 20, total_count: 1, total_pages: 1 }),
            };
            if (m.value === undefined) delete info[m.field];
            else info[m.field] = m.value;
            const page = { ...expectedPage(parts), result_info: readResultInfo(info) };
            return {
                ...common,
                status: 200,
                body: JSON.stringify(withField(envelope, ["result_info"], info)),
                expected: { kind: "page", page },
            };
        }
        case "JSON that is not an envelope": {
            // Only `success` is checked before the status: `(body)` or `success` is what does not match.
            const isObject = m.value !== null && typeof m.value === "object" && !Array.isArray(m.value);
            const body = JSON.stringify(m.value);
            if (m.status < 200 || m.status >= 300) return apiError(m.status, body, [], []);
            return {
                ...common,
                status: m.status,
                body,
                personal: [],
                expected: { kind: "error", type: "RiskSummaryValidationError", path: isObject ? "success" : "(body)" },
            };
        }
        case "error envelope": {
            const fields = { success: false, errors: m.errors, ...(m.complete ? { messages: [], result: null } : {}) };
            return apiError(m.status, JSON.stringify(withExtras(fields, m.extras, false)), m.errors.map(plainMessage), []);
        }
        case "malformed error envelope": {
            // `success: false` around users where null belongs, or without `errors`: no details to quote.
            const failed = withField(envelope, ["success"], false);
            return apiError(m.status, JSON.stringify(m.broken === "errors" ? withoutField(failed, ["errors"]) : failed), [], personal);
        }
        case "HTTP error status":
            return apiError(m.status, JSON.stringify(envelope), [], personal);
        case "truncated JSON": {
            const body = JSON.stringify(envelope);
            return notJson(m.status, m.contentType, body.slice(0, m.cut % body.length), personal);
        }
        case "HTML page": {
            const page = m.proxyPage
                ? htmlErrorPage(m.status)
                : `<!DOCTYPE html>\n<html><head><title>${m.text}</title></head><body>${m.text}</body></html>`;
            return notJson(m.status, "text/html; charset=UTF-8", page, []);
        }
        case "text":
            return notJson(m.status, m.contentType, m.text, []);
        case "random bytes":
            // Decoded as the client decodes bodies.
            return notJson(m.status, m.contentType, new TextDecoder().decode(m.bytes), []);
    }
}

const invalidCaseArb: fc.Arbitrary<ResponseCase> = fc
    .record({ parts: envelopePartsArb(taggedUserArb, 1), requestPath: requestPathArb, contentType: contentTypeArb, mutation: mutationArb })
    .map(({ parts, requestPath, contentType, mutation }) => mutate(parts, requestPath, contentType, mutation));

const looseResultInfoCaseArb: fc.Arbitrary<ResponseCase> = fc
    .record({
        parts: envelopePartsArb(taggedUserArb, 0),
        requestPath: requestPathArb,
        contentType: contentTypeArb,
        mutation: looseResultInfoMutationArb,
    })
    .map(({ parts, requestPath, contentType, mutation }) => mutate(parts, requestPath, contentType, mutation));

// ---- fuzzed envelopes: any shape, valid parts likely -----------------------------------------

const fuzzUserArb: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: taggedUserArb, weight: 6 },
    {
        arbitrary: fc
            .tuple(taggedUserArb, fc.constantFrom(...userFields), fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }))
            .map(([u, field, value]) => withExtras({ ...u, [field]: value }, undefined, false)),
        weight: 1,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
);

const fuzzCaseArb: fc.Arbitrary<ResponseCase> = fc
    .record({
        status: fc.oneof({ arbitrary: fc.constant(200), weight: 3 }, { arbitrary: fc.integer({ min: 100, max: 599 }), weight: 1 }),
        contentType: contentTypeArb,
        requestPath: requestPathArb,
        fields: fc.record(
            {
                success: fc.oneof(
                    { arbitrary: fc.constant(true), weight: 6 },
                    { arbitrary: fc.constant(false), weight: 1 },
                    { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
                ),
                errors: fc.oneof(
                    { arbitrary: fc.array(cloudflareMessageArb, { maxLength: 2 }), weight: 6 },
                    { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
                ),
                messages: fc.oneof(
                    { arbitrary: fc.array(cloudflareMessageArb, { maxLength: 2 }), weight: 6 },
                    { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
                ),
                result: fc.oneof(
                    {
                        arbitrary: fc.record(
                            {
                                users: fc.oneof(
                                    { arbitrary: fc.array(fuzzUserArb, { maxLength: 4 }), weight: 6 },
                                    { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
                                ),
                            },
                            { noNullPrototype: true },
                        ),
                        weight: 6,
                    },
                    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
                ),
                result_info: fc.oneof({ arbitrary: resultInfoArb, weight: 3 }, { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 }),
            },
            { requiredKeys: [], noNullPrototype: true },
        ),
    })
    .map(({ status, contentType, requestPath, fields }) => ({
        label: "fuzzed envelope",
        status,
        contentType,
        requestPath,
        body: JSON.stringify(fields),
        expected: { kind: "pageOrError" },
        personal: taggedStringsIn(fields),
    }));

function taggedStringsIn(value: unknown): string[] {
    if (typeof value === "string") return value.startsWith(personalTag) ? [value] : [];
    if (value === null || typeof value !== "object") return [];
    return Object.values(value).flatMap(taggedStringsIn);
}

// ---- checks ----------------------------------------------------------------------------------

function expectToContain(text: string, part: string): void {
    ensure(text.includes(part), () => expect(text).toContain(part));
}

function expectNotToContain(text: string, part: string): void {
    ensure(!text.includes(part), () => expect(text).not.toContain(part));
}

type Outcome = { readonly page: RiskSummaryPage } | { readonly error: unknown };

function parse(c: ResponseCase): Outcome {
    try {
        return { page: parseRiskSummaryPage(c.status, c.contentType, c.body, c.requestPath) };
    } catch (error) {
        return { error };
    }
}

/** One of the parser's three typed errors, exactly; a TypeError, a plain Error or a zod error is a bug. */
function expectTypedError(error: unknown, c: ResponseCase): asserts error is CloudflareRiskError {
    ensure(error instanceof CloudflareRiskError, () => expect(error).toBeInstanceOf(CloudflareRiskError));
    const constructor = (error as CloudflareRiskError).constructor;
    ensure(Object.values<unknown>(typedErrors).includes(constructor), () => expect(Object.values(typedErrors)).toContain(constructor));
    expectToContain((error as CloudflareRiskError).message, c.requestPath);
}

function expectErrorAsExpected(error: unknown, c: ResponseCase): void {
    expectTypedError(error, c);
    const expected = c.expected;
    if (expected.kind === "page") throw new Error(`expected a page, got ${String(error)}`);
    if (expected.kind !== "error") return;
    ensure(error.constructor === typedErrors[expected.type], () => expect(error.constructor).toBe(typedErrors[expected.type]));
    if (error instanceof RiskSummaryValidationError && expected.path !== undefined) {
        const paths = error.issues.map((issue) => issue.path);
        ensure(paths.includes(expected.path), () => expect(paths).toContain(expected.path));
        expectToContain(error.message, expected.path);
    }
    if (error instanceof CloudflareApiError) {
        expectDeepEqual(error.status, c.status);
        if (expected.apiErrors !== undefined) expectDeepEqual(error.errors, expected.apiErrors);
        for (const m of error.errors) expectToContain(error.message, `[${m.code}] ${m.message}`);
    }
    if (error instanceof CloudflareResponseError) {
        expectDeepEqual([error.status, error.contentType], [c.status, c.contentType]);
    }
}

/** For fuzzed input: a page is only acceptable from a 2xx `success: true` body, and holds the body's users. */
function expectPageOfBody(page: RiskSummaryPage, c: ResponseCase): void {
    ensure(c.status >= 200 && c.status < 300, () => expect(c.status).toBeGreaterThanOrEqual(200));
    const body = JSON.parse(c.body) as {
        success: unknown;
        result: { users: WireRiskUser[] };
        result_info?: Record<string, unknown> | null;
    };
    expectDeepEqual(body.success, true);
    expectDeepEqual(page.result.users, body.result.users.map(plainUser));
    if (body.result_info === undefined) ensure(!("result_info" in page), () => expect(page).not.toHaveProperty("result_info"));
    else if (body.result_info === null) expectDeepEqual(page.result_info, null);
    else expectDeepEqual(page.result_info, readResultInfo(body.result_info));
}

function expectPersonalDataKeptOut(message: string, personal: readonly string[]): void {
    if (personal.length === 0) return;
    expectNotToContain(message, personalTag);
    for (const value of personal) expectNotToContain(message, value);
}

describe("parseRiskSummaryPage properties", () => {
    it(
        "returns exactly the users of any valid envelope, unknown fields stripped",
        () => {
            fc.assert(
                fc.property(validCaseArb(wireUserArb()), (c) => {
                    const outcome = parse(c);
                    if ("error" in outcome) throw outcome.error;
                    if (c.expected.kind !== "page") throw new Error("a valid case expects a page");
                    expectDeepEqual(outcome.page, c.expected.page);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );

    it(
        "returns the page of an envelope whose informational result_info fields are missing or not as documented, without them",
        () => {
            fc.assert(
                fc.property(looseResultInfoCaseArb, (c) => {
                    const outcome = parse(c);
                    if ("error" in outcome) throw outcome.error;
                    if (c.expected.kind !== "page") throw new Error("a loose result_info case expects a page");
                    expectDeepEqual(outcome.page, c.expected.page);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );

    it(
        "rejects every invalid response with the typed error for it, and nothing else",
        () => {
            fc.assert(
                fc.property(invalidCaseArb, (c) => {
                    const outcome = parse(c);
                    if ("page" in outcome) {
                        // Only random bytes that happen to be JSON have no precise expectation.
                        if (c.expected.kind !== "pageOrError") throw new Error(`expected ${c.label} to be rejected`);
                        expectPageOfBody(outcome.page, c);
                        return;
                    }
                    expectErrorAsExpected(outcome.error, c);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );

    it(
        "either returns the body's users or throws a typed error, whatever the response",
        () => {
            fc.assert(
                fc.property(fc.oneof(validCaseArb(taggedUserArb), looseResultInfoCaseArb, invalidCaseArb, fuzzCaseArb), (c) => {
                    const outcome = parse(c);
                    if ("error" in outcome) {
                        expectErrorAsExpected(outcome.error, c);
                        return;
                    }
                    if (c.expected.kind === "error") throw new Error(`expected ${c.label} to be rejected with ${c.expected.type}`);
                    if (c.expected.kind === "page") expectDeepEqual(outcome.page, c.expected.page);
                    else expectPageOfBody(outcome.page, c);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );

    it(
        "never repeats an email or a name from the body in an error message",
        () => {
            fc.assert(
                fc.property(fc.oneof(invalidCaseArb, fuzzCaseArb), (c) => {
                    const outcome = parse(c);
                    if ("error" in outcome) expectPersonalDataKeptOut((outcome.error as Error).message, c.personal);
                }),
                { numRuns },
            );
        },
        propertyTimeoutMs,
    );
});
