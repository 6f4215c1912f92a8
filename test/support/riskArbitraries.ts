import fc from "fast-check";
import { type ResultInfo, type WireRiskUser } from "../../provider/client/schema";
import { type CloudflareMessage } from "../../provider/errors/cloudflareMessage";
import { type RiskLevel, riskLevels } from "../../provider/model/riskLevel";

/** Arbitraries for the summary endpoint's wire format, shared by the property tests. */

/** Every field name the schema knows, at any depth: extra fields never reuse one. */
const schemaKeys = new Set([
    "success",
    "errors",
    "messages",
    "result",
    "result_info",
    "users",
    "email",
    "event_count",
    "last_event",
    "max_risk_level",
    "name",
    "user_id",
    "count",
    "page",
    "per_page",
    "total_count",
    "total_pages",
    "code",
    "message",
    "documentation_url",
    "source",
    "pointer",
]);

export const riskLevelArb: fc.Arbitrary<RiskLevel> = fc.constantFrom(...riskLevels);

/** Characters that trip naive escaping, logging or sorting. */
const awkwardUnit = fc.constantFrom(
    '"',
    "'",
    "`",
    "\\",
    "/",
    "<",
    ">",
    "&",
    "%s",
    "${x}",
    "@",
    "\u0000",
    "\u0007",
    "\b",
    "\t",
    "\n",
    "\r",
    "\u001b",
    "\u001f",
    "\u007f",
    "\u0085",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\u2028",
    "\u2029",
    "\u202e",
    "\ufeff",
    "\ufffd",
    "\ud800",
    "\udfff",
    "é",
    "e\u0301",
    "ß",
    "İ",
    "ı",
    "Ω",
    "李",
    "ひ",
    "🙂",
    "👩‍💻",
);

/** Emails and names as Cloudflare may hold them: any Unicode, quotes, control characters, lone surrogates. */
export function personalTextArb(maxLength = 16): fc.Arbitrary<string> {
    return fc.oneof(
        fc.string({ unit: "grapheme", maxLength }),
        fc.string({ unit: "binary", maxLength }),
        fc.string({ unit: fc.oneof(awkwardUnit, fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 })), maxLength }),
        fc.constantFrom(
            "",
            " ",
            "O'Brien",
            'Robert "Bob" Tables',
            "Zoë Ångström",
            "李小龙",
            "</script><script>",
            "\u202egnp.exe",
            "null",
            "undefined",
        ),
    );
}

const domainArb = fc.constantFrom("example.com", "EXAMPLE.com", "example.org", "sub.example.co.uk", "例え.jp", "xn--r8jz45g.jp");

export function emailArb(personal: fc.Arbitrary<string> = personalTextArb(12)): fc.Arbitrary<string> {
    return fc.oneof(
        fc.emailAddress(),
        fc.tuple(personal, domainArb).map(([local, domain]) => `${local}@${domain}`),
        // The schema only says "string": an address without an @ must still pass through unchanged.
        personal,
    );
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);
const digitsArb = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength, maxLength });

interface DateTimeParts {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    fraction: string | undefined;
    offset: string;
}

const offsetArb = fc.oneof(
    fc.constant("Z"),
    fc
        .record({ sign: fc.constantFrom("+", "-"), hours: fc.integer({ min: 0, max: 23 }), minutes: fc.integer({ min: 0, max: 59 }) })
        .map((o) => `${o.sign}${pad(o.hours, 2)}:${pad(o.minutes, 2)}`),
);

const dateTimePartsArb: fc.Arbitrary<DateTimeParts> = fc
    .record({
        year: fc.integer({ min: 0, max: 9999 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 31 }),
        hour: fc.integer({ min: 0, max: 23 }),
        minute: fc.integer({ min: 0, max: 59 }),
        second: fc.integer({ min: 0, max: 59 }),
        fraction: fc.option(digitsArb(1, 9), { nil: undefined }),
        offset: offsetArb,
    })
    .map((p) => ({ ...p, day: Math.min(p.day, daysInMonth(p.year, p.month)) }));

function formatDateTime(p: DateTimeParts): string {
    const fraction = p.fraction === undefined ? "" : `.${p.fraction}`;
    return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${fraction}${p.offset}`;
}

/**
 * RFC 3339 date-times with `Z` or a numeric offset, in the form Cloudflare writes them: upper-case `T`
 * and `Z`, seconds 00-59. (The schema rejects RFC 3339's lower-case `t`/`z` and leap second 60, which
 * Cloudflare never sends, so they are left out here rather than asserted either way.)
 */
export const rfc3339Arb: fc.Arbitrary<string> = fc.oneof(
    dateTimePartsArb.map(formatDateTime),
    fc
        .date({ min: new Date("1970-01-01T00:00:00.000Z"), max: new Date("2100-12-31T23:59:59.999Z"), noInvalidDate: true })
        .map((d) => d.toISOString()),
);

/** Strings that are not RFC 3339 date-times (nor any profile of them). */
export const badDateTimeArb: fc.Arbitrary<string> = fc.oneof(
    dateTimePartsArb.chain((p) =>
        fc.constantFrom(
            formatDateTime({ ...p, month: 13 }),
            formatDateTime({ ...p, month: 0 }),
            formatDateTime({ ...p, day: 0 }),
            formatDateTime({ ...p, day: daysInMonth(p.year, p.month) + 1 }),
            formatDateTime({ ...p, year: 1900, month: 2, day: 29 }),
            formatDateTime({ ...p, hour: 24 }),
            formatDateTime({ ...p, minute: 60 }),
            formatDateTime({ ...p, offset: "+24:00" }),
            formatDateTime({ ...p, offset: "+0100" }),
            formatDateTime({ ...p, offset: "" }),
            formatDateTime(p).slice(0, 10),
            formatDateTime(p).replace(/:\d\d(\.\d+)?(?=Z|[+-]\d\d:\d\d$)/, ""),
            formatDateTime(p).slice(2),
            `${formatDateTime(p)} `,
            ` ${formatDateTime(p)}`,
            `${formatDateTime(p)}Z`,
        ),
    ),
    fc.constantFrom(
        "",
        "now",
        "1700000000",
        "2024-1-1T00:00:00Z",
        "2024-01-01T00:00:00.Z",
        "Mon, 01 Jan 2024 00:00:00 GMT",
        "2024-01-01T00:00:00+1",
    ),
);

const nilUuid = "00000000-0000-0000-0000-000000000000";
const maxUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const userIdArb: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.uuid(), weight: 6 },
    { arbitrary: fc.uuid().map((id) => id.toUpperCase()), weight: 1 },
    { arbitrary: fc.constantFrom(nilUuid, maxUuid), weight: 1 },
);

/** Strings that are not in the 8-4-4-4-12 hexadecimal form of a UUID. */
export const badUuidArb: fc.Arbitrary<string> = fc
    .oneof(
        fc.tuple(fc.uuid(), fc.nat(35)).map(([id, at]) => id.slice(0, at) + id.slice(at + 1)),
        fc
            .tuple(fc.uuid(), fc.nat(35), fc.constantFrom("g", "z", " ", "-", "0-"))
            .map(([id, at, c]) => id.slice(0, at) + c + id.slice(at + 1)),
        fc.uuid().map((id) => id.replace(/-/g, "")),
        fc.uuid().map((id) => `{${id}}`),
        fc.uuid().map((id) => `urn:uuid:${id}`),
        fc.constantFrom("", "not-a-uuid", "12345"),
    )
    .filter((id) => !uuidPattern.test(id));

export const unknownLevelArb: fc.Arbitrary<string> = fc
    .oneof(
        fc.constantFrom("critical", "none", "", "LOW", "Medium", "HIGH", " low", "high ", "med", "unknown", "0"),
        fc.string({ maxLength: 8 }),
    )
    .filter((level) => !(riskLevels as readonly string[]).includes(level));

export interface WireUserOptions {
    /** Emails and names; defaults to `personalTextArb()`. */
    readonly personal?: fc.Arbitrary<string>;
}

export function wireUserArb(options: WireUserOptions = {}): fc.Arbitrary<WireRiskUser> {
    const personal = options.personal ?? personalTextArb();
    return fc.record(
        {
            email: emailArb(personal),
            event_count: fc.oneof(fc.nat(10_000), fc.maxSafeNat()),
            last_event: rfc3339Arb,
            max_risk_level: riskLevelArb,
            name: personal,
            user_id: userIdArb,
        },
        { noNullPrototype: true },
    );
}

const countArb = fc.oneof(fc.nat(1_000), fc.maxSafeNat());

export const resultInfoArb: fc.Arbitrary<ResultInfo> = fc.record(
    {
        count: countArb,
        page: countArb.map((n) => Math.max(1, n)),
        per_page: countArb.map((n) => Math.max(1, n)),
        total_count: countArb,
        total_pages: countArb,
    },
    { noNullPrototype: true },
);

export const cloudflareMessageArb: fc.Arbitrary<CloudflareMessage> = fc.record(
    {
        code: fc.oneof(fc.integer({ min: 1000, max: 99_999 }), fc.integer()),
        message: fc.string({ maxLength: 40 }),
        documentation_url: fc.oneof(fc.constant("https://developers.cloudflare.com/api/"), fc.string({ maxLength: 20 })),
        source: fc.record({ pointer: fc.string({ maxLength: 20 }) }, { noNullPrototype: true }),
    },
    { requiredKeys: ["code", "message"], noNullPrototype: true },
);

export type ExtraFields = Record<string, unknown>;

/** Fields Cloudflare might add: any name the schema does not use (`__proto__` included), any JSON value. */
export const extraFieldsArb: fc.Arbitrary<ExtraFields> = fc.dictionary(
    fc
        .oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "Email", "USER_ID", "emails", "level"),
        )
        .filter((key) => !schemaKeys.has(key)),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 3, noNullPrototype: true },
);

/** `fields` plus `extras`, before or after them; defined, not assigned, so that `__proto__` stays a plain key. */
export function withExtras(
    fields: Record<string, unknown>,
    extras: ExtraFields | undefined,
    extrasFirst: boolean,
): Record<string, unknown> {
    const target: Record<string, unknown> = {};
    const define = (source: Record<string, unknown>) => {
        for (const [key, value] of Object.entries(source))
            Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    };
    if (extrasFirst && extras !== undefined) define(extras);
    define(fields);
    if (!extrasFirst && extras !== undefined) define(extras);
    return target;
}

export const contentTypeArb: fc.Arbitrary<string> = fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/JSON",
    "",
    "text/plain",
    "text/html; charset=UTF-8",
    "application/octet-stream",
);
