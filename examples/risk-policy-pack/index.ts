import { RiskPolicyPack } from "pulumi-cloudflare-risk/policy";

// Every policy starts mandatory; a stack's --policy-pack-config file sets levels, account and protected users.
new RiskPolicyPack("cloudflare-risk");
