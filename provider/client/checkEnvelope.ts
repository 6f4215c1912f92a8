import type { CloudflareMessage } from "../errors/cloudflareMessage";
import type { ReadResultInfo, RiskSummaryPage } from "./schema";

/** A successful page as `riskSummaryPageEnvelopeSchema` parses it: its users still unchecked. */
export type CheckedEnvelope = Omit<RiskSummaryPage, "result"> & { readonly result: { readonly users: unknown[] } };

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const isCount = (value: unknown, min: number): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= min;

function checkMessages(value: unknown): CloudflareMessage[] | undefined {
    if (!Array.isArray(value)) return undefined;
    const messages: CloudflareMessage[] = [];
    for (const item of value) {
        if (!isRecord(item) || !isCount(item.code, Number.MIN_SAFE_INTEGER) || typeof item.message !== "string") return undefined;
        const message: { -readonly [K in keyof CloudflareMessage]: CloudflareMessage[K] } = { code: item.code, message: item.message };
        if ("documentation_url" in item) {
            if (item.documentation_url !== undefined && typeof item.documentation_url !== "string") return undefined;
            message.documentation_url = item.documentation_url;
        }
        if ("source" in item) {
            if (item.source !== undefined && !(isRecord(item.source) && typeof item.source.pointer === "string")) return undefined;
            message.source = item.source === undefined ? undefined : { pointer: item.source.pointer as string };
        }
        messages.push(message);
    }
    return messages;
}

/** `readResultInfoSchema`: the totals strictly, the rest kept only when as documented. */
function checkResultInfo(value: Record<string, unknown>): ReadResultInfo | undefined {
    if (!isCount(value.total_count, 0) || !isCount(value.total_pages, 0)) return undefined;
    const info: Partial<Record<keyof ReadResultInfo, number>> = {};
    if (isCount(value.count, 0)) info.count = value.count;
    if (isCount(value.page, 1)) info.page = value.page;
    if (isCount(value.per_page, 1)) info.per_page = value.per_page;
    info.total_count = value.total_count;
    info.total_pages = value.total_pages;
    return info as ReadResultInfo;
}

/**
 * The checks of `riskSummaryPageEnvelopeSchema` as plain code, so that a read that succeeds never
 * loads zod (slow to load, in a process that starts for each deployment). It returns what the schema
 * would build, or undefined at the first doubt; the caller then runs zod, whose messages name the
 * field. It must never accept what zod rejects (test/unit/provider/client/checkEnvelope.test.ts compares them).
 */
export function checkRiskSummaryEnvelope(json: unknown): CheckedEnvelope | undefined {
    if (!isRecord(json) || json.success !== true) return undefined;
    const errors = checkMessages(json.errors);
    const messages = checkMessages(json.messages);
    if (errors === undefined || messages === undefined) return undefined;
    if (!isRecord(json.result) || !Array.isArray(json.result.users)) return undefined;
    const page: { -readonly [K in keyof CheckedEnvelope]: CheckedEnvelope[K] } = {
        success: true,
        errors,
        messages,
        result: { users: json.result.users as unknown[] },
    };
    if ("result_info" in json) {
        const raw = json.result_info;
        if (raw === undefined || raw === null) page.result_info = raw;
        else {
            const info = isRecord(raw) ? checkResultInfo(raw) : undefined;
            if (info === undefined) return undefined;
            page.result_info = info;
        }
    }
    return page;
}
