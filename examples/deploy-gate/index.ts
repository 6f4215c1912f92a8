import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { RiskGate, getRiskSummaryOutput } from "pulumi-cloudflare-risk";
import { RiskAccessRules } from "pulumi-cloudflare-risk/access";

// Account from config or CLOUDFLARE_ACCOUNT_ID; credentials from `cloudflare:apiToken` (secret config)
// or CLOUDFLARE_API_TOKEN, read by the provider, never by this program.
const config = new pulumi.Config();
const accountId = config.get("accountId") ?? process.env.CLOUDFLARE_ACCOUNT_ID ?? "";

const summary = getRiskSummaryOutput({ accountId });

// Rules come from config so that each stack (staging, production) can be as strict as it needs.
const gate = new RiskGate("production-gate", {
    summary,
    rules: {
        maxHighRiskUsers: config.getNumber("maxHighRiskUsers") ?? 0,
        protectedDomains: config.getObject<string[]>("protectedDomains"),
        failOnEscalationToHigh: config.getBoolean("failOnEscalationToHigh") ?? true,
    },
    // "warn" reports the same findings as warnings and lets the deployment go on.
    mode: config.get("gateMode") as "enforce" | "warn" | undefined,
});

// What the gate guards: everything of the release depends on it, so a failed gate leaves it untouched.
// Off by default, so that the example runs where the Cloudflare provider plugin is not installed.
const applicationDomain = config.get("applicationDomain");
if (applicationDomain !== undefined) {
    // The application's own policy keeps out the users at high risk when this deployment read the
    // summary: email rules, or Zero Trust lists for a large account (see examples/access-policy for the
    // live userRiskScore selector, which a reusable policy can add).
    const riskyUsers = new RiskAccessRules("risky-users", { accountId, summary }, { dependsOn: [gate] });
    new cloudflare.ZeroTrustAccessApplication(
        "internal-dashboard",
        {
            accountId,
            name: "Internal dashboard",
            domain: applicationDomain,
            type: "self_hosted",
            policies: [
                {
                    name: "Everyone in the organization, except high-risk users",
                    decision: "allow",
                    precedence: 1,
                    includes: [{ everyone: {} }],
                    // (Inline application policies have no userRiskScore selector in @pulumi/cloudflare 6.22.)
                    excludes: riskyUsers.rules.apply((rules): cloudflare.types.input.ZeroTrustAccessApplicationPolicyExclude[] => rules),
                },
            ],
        },
        { dependsOn: [gate] },
    );
}

export const counts = pulumi.unsecret(summary.counts);
// In "warn" mode: what would have failed an "enforce" gate (emails masked).
export const gateViolations = gate.violations;
// Since the last deployment (undefined on the first one).
export const changeCounts = gate.changeCounts;
export const escalated = gate.escalated;
