import { getRiskSummary } from "../../provider/plugin/riskSummaryFunctions";
import type { ApiTarget } from "./apiTarget";
import { loadStruct } from "./protobufEncodingWorker";
import { workerMain } from "./workerProtocol";

/**
 * What answering a getRiskSummary invoke costs the provider plugin besides the read: the plugin's
 * `getRiskSummary` reads the account as an invoke would (same function, same arguments), then its
 * result goes through `Struct.fromJavaScript(outputs)` (google-protobuf, the copy @pulumi/pulumi
 * loads), as @pulumi/pulumi/provider/server.js builds the InvokeResponse, and `serializeBinary`, as
 * gRPC sends it. One sample per fresh process (run with `--expose-gc`).
 */

export interface PluginEncodingArgs {
    readonly target: ApiTarget;
    readonly expectedUsers: number;
}

export interface PluginEncodingSample {
    /** The read: `getRiskSummary(arguments)` until it resolved. */
    readonly readMs: number;
    /** `Struct.fromJavaScript(outputs)`. */
    readonly structMs: number;
    /** `serializeBinary()` of that Struct. */
    readonly serializeMs: number;
    /** The serialized Struct. */
    readonly bytes: number;
    /** The result as JSON (`JSON.stringify(outputs)`), for scale. */
    readonly jsonBytes: number;
    /** RSS with the result built, before encoding, and the process's peak. */
    readonly startRssBytes: number;
    readonly peakRssBytes: number;
}

async function sample(args: PluginEncodingArgs): Promise<PluginEncodingSample> {
    const { Struct } = loadStruct();
    const { accountId, apiToken, baseUrl } = args.target;
    let start = performance.now();
    const outputs = await getRiskSummary({ accountId, apiToken, baseUrl });
    const readMs = performance.now() - start;
    const counts = outputs.counts as { total?: number } | undefined;
    if (counts?.total !== args.expectedUsers) throw new Error(`getRiskSummary counted ${counts?.total} users, not ${args.expectedUsers}`);
    const jsonBytes = Buffer.byteLength(JSON.stringify(outputs));
    (globalThis as { gc?: () => void }).gc?.();
    const startRssBytes = process.memoryUsage().rss;

    start = performance.now();
    const struct = Struct.fromJavaScript(outputs);
    const structMs = performance.now() - start;
    start = performance.now();
    const bytes = struct.serializeBinary();
    const serializeMs = performance.now() - start;
    return {
        readMs,
        structMs,
        serializeMs,
        bytes: bytes.length,
        jsonBytes,
        startRssBytes,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
}

workerMain(module, sample);
