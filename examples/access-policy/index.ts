import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { getRiskSummaryOutput } from "pulumi-cloudflare-risk";
import { RiskAccessRules } from "pulumi-cloudflare-risk/access";

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

// The snapshot: rules for the risky users as this deployment read them. Up to 100 users become one
// email rule each; more go into Zero Trust lists (1,000 entries each) that the component owns, so the
// policy stays within Cloudflare's limits at any account size. Emails stay secret throughout.
const riskyUsers = new RiskAccessRules("risky-users", {
    accountId,
    summary,
    levels: includeMediumRisk ? ["high", "medium"] : ["high"],
});

// The live selector: Cloudflare checks each user's current risk score at login, between deployments
// too. The snapshot is what a pull request reviews and the state records; together they cover both.
const liveRiskScore: cloudflare.types.input.ZeroTrustAccessPolicyExclude = {
    userRiskScore: { userRiskScores: includeMediumRisk ? ["high", "medium"] : ["high"] },
};

// Exclude rules are OR-ed: any of them keeps a user out. With nobody at risk the snapshot gives no
// rule at all (never a placeholder such as `{ email: { email: "" } }`), and the live rule remains.
const excludes = riskyUsers.rules.apply((rules): cloudflare.types.input.ZeroTrustAccessPolicyExclude[] => [liveRiskScore, ...rules]);

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
// Counts are not personal data; the emails stay secret in the state and in `pulumi stack output`.
export const excludedUserCount = riskyUsers.userCount;
export const riskListCount = riskyUsers.listCount;
