/**
 * One entry of a Cloudflare envelope's `errors` or `messages`. A plain interface so that the published
 * types do not pull in zod's; `riskSummarySchema.ts` checks that its schema infers exactly this type.
 */
export interface CloudflareMessage {
    code: number;
    message: string;
    documentation_url?: string | undefined;
    source?: { pointer: string } | undefined;
}
