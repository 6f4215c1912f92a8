import { main } from "@pulumi/pulumi/provider";
import { cloudflareRiskProvider } from "./provider";

// Started by the engine as `pulumi-resource-cloudflare-risk <engine address>`; prints its port, nothing before it.
void main(cloudflareRiskProvider, process.argv.slice(2));
