import { z } from "zod";
import { riskLevelSchema } from "../../provider/client/schema";
import { decodeStoredRiskUsers } from "../../provider/storage/storedRiskUsers";
import { secretSignature, secretSignatureKey } from "./secretEnvelope";

/**
 * What the report reads of a `pulumi stack export`, and nothing more: the rest of the deployment
 * (providers, the stack, other resources) may change between Pulumi versions without breaking it.
 */

/** The only deployment format `pulumi stack export` has written since Pulumi 1.0. */
export const stackExportVersion = 3;

const stackResourceSchema = z.looseObject({
    urn: z.string(),
    type: z.string(),
    outputs: z.record(z.string(), z.unknown()).optional(),
});

export const stackExportSchema = z.looseObject({
    version: z.literal(stackExportVersion, {
        error: (issue) => `version ${JSON.stringify(issue.input)} is not supported (expected ${stackExportVersion})`,
    }),
    deployment: z.looseObject({
        // An empty stack's export has no resources at all.
        resources: z.array(stackResourceSchema).nullish(),
    }),
});

const count = z.number().int().min(0);

export const riskSummaryCountsSchema = z.object({ total: count, high: count, medium: count, low: count, accountTotal: count });

/** Loose, so that a filter added by a later version still shows in the report. */
export const riskSummaryFiltersSchema = z.looseObject({
    minRiskLevel: riskLevelSchema.optional(),
    lastEventSince: z.string().optional(),
    emailDomains: z.array(z.string()).optional(),
});

/** A user as the provider stores it (camelCase, see provider/model/riskUser.ts). */
export const riskUserOutputSchema = z.object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    eventCount: count,
    lastEvent: z.iso.datetime({ offset: true }),
    maxRiskLevel: riskLevelSchema,
});

/** `users` as the provider stores them (provider/storage/storedRiskUsers.ts): one compressed string, decoded here. */
export const storedRiskUsersSchema = z
    .string()
    .transform((stored, ctx) => {
        try {
            return decodeStoredRiskUsers(stored) as unknown[];
        } catch {
            ctx.addIssue({ code: "custom", message: "not base64 of gzip-compressed JSON (the export was edited or damaged)" });
            return z.NEVER;
        }
    })
    .pipe(z.array(riskUserOutputSchema));

export const encryptedSecretSchema = z.object({
    [secretSignatureKey]: z.literal(secretSignature),
    ciphertext: z.string(),
});

export const riskSummaryAuditSchema = z.object({
    accountId: z.string(),
    fetchedAt: z.string(),
    counts: riskSummaryCountsSchema,
    filters: riskSummaryFiltersSchema,
    usersSha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hexadecimal characters"),
    endpoint: z.string(),
    packageName: z.string(),
    packageVersion: z.string(),
    personalData: z.enum(["secret", "plain"]).optional(),
});

/** The outputs of a RiskSummary resource, once `plaintext` secrets have been revealed. */
export const riskSummaryOutputsSchema = z.object({
    accountId: z.string(),
    // A plain list in states written before the users were stored compressed.
    users: z.union([storedRiskUsersSchema, z.array(riskUserOutputSchema), encryptedSecretSchema]),
    counts: riskSummaryCountsSchema,
    fetchedAt: z.iso.datetime({ offset: true }),
    filters: riskSummaryFiltersSchema,
    // Absent in states written before the audit output existed.
    audit: z.union([riskSummaryAuditSchema, encryptedSecretSchema]).optional(),
});
