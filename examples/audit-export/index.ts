import * as pulumi from "@pulumi/pulumi";
import { RiskTrend, getRiskSummaryOutput } from "pulumi-cloudflare-risk";

const config = new pulumi.Config();
const accountId = config.get("accountId") ?? process.env.CLOUDFLARE_ACCOUNT_ID ?? "";

const summary = getRiskSummaryOutput({ accountId });

// The previous deployment's levels live in this resource's state: no extra API call, no Pulumi Cloud.
const trend = new RiskTrend("risk-trend", { summary });

// No personal data in the audit record (a digest stands in for the users): safe in plain text.
export const audit = pulumi.unsecret(summary.audit);
export const counts = pulumi.unsecret(summary.counts);

export const since = trend.since;
export const changeCounts = trend.changeCounts;
// Emails: secret in the state and in `pulumi stack output` unless --show-secrets.
export const escalated = trend.escalated;
export const deescalated = trend.deescalated;
export const appeared = trend.appeared;
export const left = trend.left;
