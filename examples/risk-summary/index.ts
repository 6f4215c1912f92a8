import * as pulumi from "@pulumi/pulumi";
import { getRiskSummaryOutput } from "pulumi-cloudflare-risk";

// The account comes from stack config, or CLOUDFLARE_ACCOUNT_ID; credentials from `cloudflare:apiToken`
// (secret config) or CLOUDFLARE_API_TOKEN, read by the provider, never by this program.
const config = new pulumi.Config();
const accountId = config.get("accountId") ?? process.env.CLOUDFLARE_ACCOUNT_ID ?? "";

const summary = getRiskSummaryOutput({ accountId });

// Counts are not personal data: export them in plain text.
export const counts = pulumi.unsecret(summary.counts);
export const fetchedAt = pulumi.unsecret(summary.fetchedAt);

// Emails are: they stay secret in the state and in `pulumi stack output`.
export const highRiskEmails = summary.highRiskEmails;

// What an Access policy would get: one email rule per high-risk user, or none at all (an empty
// `include` would be an invalid rule, so the example models "nobody to exclude" as an empty list).
export const accessExcludeRules = summary.highRiskEmails.apply((emails) => emails.map((email) => ({ email: { email } })));
