/** Cloudflare's user risk levels, lowest first; the wire schema's enum is built from this tuple. */
export const riskLevels = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof riskLevels)[number];
