import { z } from "zod";
import type { CloudflareMessage } from "../errors/cloudflareMessage";
import { riskLevels } from "../model/riskLevel";
import type { SameType } from "../model/sameType";

/**
 * Wire types of `GET /accounts/{account_id}/zt_risk_scoring/summary`, the single source of truth for
 * everything that crosses the network. Unknown extra fields are stripped, not rejected, so that
 * Cloudflare can add fields without breaking deployments.
 */

export const riskLevelSchema = z.enum(riskLevels);

export const cloudflareMessageSchema = z.object({
    code: z.number().int(),
    message: z.string(),
    documentation_url: z.string().optional(),
    source: z.object({ pointer: z.string() }).optional(),
});
// The published interface is exactly what the schema infers: this stops compiling if they drift.
export const cloudflareMessageMatchesSchema: SameType<CloudflareMessage, z.infer<typeof cloudflareMessageSchema>> = true;

export const riskUserSchema = z.object({
    email: z.string(),
    event_count: z.number().int().min(0),
    last_event: z.iso.datetime({ offset: true }),
    max_risk_level: riskLevelSchema,
    name: z.string(),
    user_id: z.guid(),
});
export type WireRiskUser = z.infer<typeof riskUserSchema>;

/** `result_info` as Cloudflare documents it, every field a number: what a server sends. */
export const resultInfoSchema = z.object({
    count: z.number().int().min(0),
    page: z.number().int().min(1),
    per_page: z.number().int().min(1),
    total_count: z.number().int().min(0),
    total_pages: z.number().int().min(0),
});
export type ResultInfo = z.infer<typeof resultInfoSchema>;

/** A field that is information only: kept when it is what the documentation says, else dropped, never an error. */
const informational = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/**
 * `result_info` as the client reads it. The totals prove that a read is complete, so they are checked
 * strictly. The rest is information that servers fill loosely (an empty account may say `per_page: 0`
 * or `page: 0`): a field that is not as documented is dropped rather than failing a deployment.
 */
export const readResultInfoSchema = resultInfoSchema
    .extend({
        count: informational(resultInfoSchema.shape.count),
        page: informational(resultInfoSchema.shape.page),
        per_page: informational(resultInfoSchema.shape.per_page),
    })
    .transform((info) => {
        const kept: Partial<ResultInfo> = { ...info };
        for (const key of ["count", "page", "per_page"] as const) if (kept[key] === undefined) delete kept[key];
        return kept as typeof info;
    });
export type ReadResultInfo = z.infer<typeof readResultInfoSchema>;

/** Only `success` is looked at first, so that an error envelope is never reported as a schema mismatch. */
export const envelopeHeadSchema = z.object({ success: z.boolean() });

export const riskSummaryPageSchema = z.object({
    success: z.literal(true),
    errors: z.array(cloudflareMessageSchema),
    messages: z.array(cloudflareMessageSchema),
    result: z.object({ users: z.array(riskUserSchema) }),
    // Absent or null: the page is the whole account (nothing to prove completeness against).
    result_info: readResultInfoSchema.nullish(),
});
export type RiskSummaryPage = z.infer<typeof riskSummaryPageSchema>;

/** The page with its users left for `checkRiskUsers`, which checks them faster than zod. */
export const riskSummaryPageEnvelopeSchema = riskSummaryPageSchema.extend({ result: z.object({ users: z.array(z.unknown()) }) });

export const cloudflareErrorEnvelopeSchema = z.object({
    success: z.literal(false),
    errors: z.array(cloudflareMessageSchema),
    messages: z.array(cloudflareMessageSchema).optional(),
    result: z.null().optional(),
});
export type CloudflareErrorEnvelope = z.infer<typeof cloudflareErrorEnvelopeSchema>;
