import { parseArgs } from "node:util";
import { startLocalCloudflareApi, type LocalCloudflareApi, type LocalCloudflareApiOptions } from "./localCloudflareApi";

/**
 * `node dist/dev/local-api/cli.js [--port N] [--size N] [--seed N] [--account-id HEX32] [--latency-ms N]
 * [--api-token T] [--no-control]`: runs the local Cloudflare-compatible API until SIGINT/SIGTERM and
 * prints one JSON line `{"baseUrl","accountId","apiToken"}` once listening, for scripts to read.
 */

const usage = "usage: cli.js [--port N] [--size N] [--seed N] [--account-id HEX32] [--latency-ms N] [--api-token TOKEN] [--no-control]";

export class LocalApiUsageError extends Error {
    override readonly name = "LocalApiUsageError";
}

function integerOption(name: string, raw: string | undefined): number | undefined {
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) throw new LocalApiUsageError(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
    return Number(raw);
}

export function parseCliArgs(argv: readonly string[]): LocalCloudflareApiOptions {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                port: { type: "string" },
                size: { type: "string" },
                seed: { type: "string" },
                "account-id": { type: "string" },
                "latency-ms": { type: "string" },
                "api-token": { type: "string" },
                "no-control": { type: "boolean" },
            },
        }));
    } catch (error) {
        throw new LocalApiUsageError(`${(error as Error).message}\n${usage}`);
    }
    const apiToken = values["api-token"];
    return {
        port: integerOption("port", values.port),
        size: integerOption("size", values.size),
        seed: integerOption("seed", values.seed),
        accountId: values["account-id"],
        latencyMs: integerOption("latency-ms", values["latency-ms"]),
        credentials: apiToken === undefined ? undefined : { apiToken },
        control: values["no-control"] !== true,
    };
}

/** Starts the server and writes the "listening" line; the caller owns stopping it. */
export async function runCli(argv: readonly string[], writeLine: (line: string) => void): Promise<LocalCloudflareApi> {
    const api = await startLocalCloudflareApi(parseCliArgs(argv));
    // The token is printed on purpose: it is a fake, local-only credential that scripts need to call the server.
    writeLine(JSON.stringify({ baseUrl: api.baseUrl, accountId: api.accountId, apiToken: api.credentials.apiToken }));
    return api;
}

if (require.main === module) {
    runCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
        (api) => {
            const shutdown = (): void => {
                api.stop().catch((error: unknown) => {
                    console.error(error);
                    process.exitCode = 1;
                });
            };
            process.once("SIGINT", shutdown);
            process.once("SIGTERM", shutdown);
        },
        (error: unknown) => {
            // Bad options and invalid values (e.g. a RangeError for the account id) are usage errors; the rest are not.
            const usageError = error instanceof LocalApiUsageError || error instanceof RangeError;
            console.error(`local-api: ${(error as Error).message}`);
            process.exitCode = usageError ? 2 : 1;
        },
    );
}
