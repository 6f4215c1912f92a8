import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { getRiskSummaryOutput } from "pulumi-cloudflare-risk";

// Credentials come from `cloudflare:apiToken` (secret config) or CLOUDFLARE_API_TOKEN, read by the
// Cloudflare provider and by the risk summary's provider themselves, never by this program.
const config = new pulumi.Config();

const accountId = config.get("accountId") ?? (process.env.CLOUDFLARE_ACCOUNT_ID || undefined);
if (accountId === undefined) {
    throw new Error("Set the Cloudflare account: `pulumi config set accountId <32-hex id>`, or export CLOUDFLARE_ACCOUNT_ID.");
}

const allowedEmailDomain = config.require("allowedEmailDomain").trim().toLowerCase();
if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(allowedEmailDomain)) {
    throw new Error(`allowedEmailDomain: expected a domain such as "example.com" (the part after the @), got "${allowedEmailDomain}".`);
}

const includeMediumRisk = config.getBoolean("includeMediumRisk") ?? false;

// Optional: a self-hosted application to protect with the policy; without it the policy is created
// unattached, for applications managed elsewhere to reference by id.
const applicationDomain = config.get("applicationDomain");

// Only users the policy could let in need excluding, and only they are kept (encrypted) in the state.
const summary = getRiskSummaryOutput({
    accountId,
    emailDomains: [allowedEmailDomain],
    minRiskLevel: includeMediumRisk ? "medium" : "high",
});

function uniqueSorted(emails: readonly string[]): string[] {
    return [...new Set(emails.map((email) => email.toLowerCase()))].sort();
}

// Sorted and de-duplicated, so the policy only changes when the set of risky users does.
// `pulumi.secret` keeps the emails secret even if the summary were read with `secretPersonalData: false`.
const excludedEmails = pulumi.secret(
    summary.apply((s) =>
        includeMediumRisk ? uniqueSorted([...s.highRiskEmails, ...s.mediumRiskUsers.map((u) => u.email)]) : s.highRiskEmails,
    ),
);

// Exclude rules are OR-ed: one email rule per user keeps each of them out. With nobody to exclude
// the list is empty: never omitted (`excludes` is optional and computed, so an omitted list would keep
// the previous exclusions) and never a placeholder rule such as `{ email: { email: "" } }`.
const excludes = excludedEmails.apply((emails): cloudflare.types.input.ZeroTrustAccessPolicyExclude[] =>
    emails.map((email) => ({ email: { email } })),
);

const riskLevels = includeMediumRisk ? "high- and medium-risk users" : "high-risk users";

// A reusable, account-level policy: it can be attached to any number of Access applications.
const policy = new cloudflare.ZeroTrustAccessPolicy("risk-aware-allow", {
    accountId,
    name: `Allow ${allowedEmailDomain}, except ${riskLevels}`,
    decision: "allow",
    includes: [{ emailDomain: { domain: allowedEmailDomain } }],
    excludes,
});

const application =
    applicationDomain === undefined
        ? undefined
        : new cloudflare.ZeroTrustAccessApplication("sensitive-application", {
              accountId,
              name: `Sensitive application (${applicationDomain})`,
              type: "self_hosted",
              domain: applicationDomain,
              destinations: [{ type: "public", uri: applicationDomain }],
              policies: [{ id: policy.id, precedence: 1 }],
          });

export const accessPolicyId = policy.id;
export const applicationId = application?.id;
// A count is not personal data; the emails stay secret in the state and in `pulumi stack output`.
export const excludedUserCount = pulumi.unsecret(excludedEmails.apply((emails) => emails.length));
export const excludedUserEmails = excludedEmails;
