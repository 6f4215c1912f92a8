/**
 * The demo behind `npm run demo`: `pulumi up` of the root Pulumi.yaml program (examples/risk-summary)
 * on a local `file://` backend, against the embedded Cloudflare-compatible API — or against the real
 * API when CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL) and
 * CLOUDFLARE_ACCOUNT_ID are set.
 *
 * `npm run demo -- --drift`: the embedded account pages by 200 users and changes while it is read (a
 * user moves to page 1 at high risk after page 3 is served), to show the read starting again.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../local-api";
import { ensurePulumiCli, pulumiCommand, pulumiEnv } from "../pulumi-cli/pulumiCli";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const stackName = "demo";

interface Counts {
    total: number;
    high: number;
    medium: number;
    low: number;
    accountTotal: number;
}

function usesRealApi(env: NodeJS.ProcessEnv): boolean {
    const credentials = Boolean(env.CLOUDFLARE_API_TOKEN) || (Boolean(env.CLOUDFLARE_API_KEY) && Boolean(env.CLOUDFLARE_EMAIL));
    return credentials && Boolean(env.CLOUDFLARE_ACCOUNT_ID);
}

function bar(value: number, total: number): string {
    return "█".repeat(total === 0 ? 0 : Math.round((value / total) * 40));
}

async function main(): Promise<void> {
    const real = usesRealApi(process.env);
    const drift = process.argv.includes("--drift");
    if (drift && real) throw new Error("--drift changes the embedded account; unset CLOUDFLARE_ACCOUNT_ID to use it");
    let api: LocalCloudflareApi | undefined;
    const env: Record<string, string> = {};
    if (!real) {
        api = await startLocalCloudflareApi(drift ? { maxPerPage: 200 } : {});
        if (drift)
            api.driftNext([
                { op: "none", times: 3 },
                { op: "move", level: "high" },
            ]);
        // The embedded API's fake, local-only credentials; a developer's own Cloudflare settings are cleared.
        Object.assign(env, {
            CLOUDFLARE_API_TOKEN: api.credentials.apiToken,
            CLOUDFLARE_API_KEY: "",
            CLOUDFLARE_EMAIL: "",
            CLOUDFLARE_BASE_URL: api.baseUrl,
            CLOUDFLARE_ACCOUNT_ID: api.accountId,
        });
        console.log(`demo: embedded Cloudflare API on ${api.baseUrl} (${api.users().length} users)`);
    } else {
        console.log("demo: using the Cloudflare API with CLOUDFLARE_ACCOUNT_ID and the credentials in the environment");
    }
    try {
        const { binDir } = await ensurePulumiCli();
        const backendDir = path.join(repoRoot, ".pulumi-state");
        await fs.mkdir(backendDir, { recursive: true });
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName, workDir: repoRoot },
            { pulumiCommand: await pulumiCommand(), envVars: { ...pulumiEnv({ binDir, backendDir }), ...env } },
        );
        console.log(`demo: pulumi up (stack "${stackName}", state in ${path.relative(process.cwd(), backendDir) || "."})\n`);
        const up = await stack.up({ onOutput: (text) => process.stdout.write(text) });

        const counts = up.outputs.counts?.value as Counts;
        const emails = (up.outputs.highRiskEmails?.value ?? []) as string[];
        const rules = (up.outputs.accessExcludeRules?.value ?? []) as unknown[];
        console.log("\nRisk summary");
        for (const level of ["high", "medium", "low"] as const) {
            console.log(`  ${level.padEnd(6)} ${String(counts[level]).padStart(6)}  ${bar(counts[level], counts.total)}`);
        }
        console.log(`  total  ${String(counts.total).padStart(6)}`);
        console.log(`\nHigh-risk users (${emails.length}; stored as secrets in the state):`);
        for (const email of emails.slice(0, 10)) console.log(`  ${email}`);
        if (emails.length > 10) console.log(`  … and ${emails.length - 10} more (pulumi stack output highRiskEmails --show-secrets)`);
        console.log(
            `\nWhat the program did with them: ${rules.length} email rules for an Access policy's "exclude" (output accessExcludeRules).`,
        );
        if (drift && api !== undefined) {
            const reads = api.requests.filter((r) => r.page === 1).length;
            console.log(
                `\nThe account changed while it was read: a user moved to page 1 at high risk after page 3 was served. ` +
                    `The read saw it and started again from page 1: ${reads} reads, ${api.requests.length} requests for ` +
                    `${Math.ceil(counts.accountTotal / 200)} pages of 200; the summary holds the account as it was after the move.`,
            );
        }
    } finally {
        await api?.stop();
    }
}

main().catch((error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
});
