import { promises as fs } from "node:fs";
import * as path from "node:path";
import { defaultPerPage } from "../../provider/arguments/defaults";
import { startLocalCloudflareApi } from "../local-api";
import { BenchStack } from "./benchStack";
import { fixturesDir } from "./engineBenchmark";
import { progress } from "./progress";

/**
 * Benchmark 4: what a deployment leaves and costs besides time. dev/bench/fixtures/many-calls makes N
 * getRiskSummary calls with different filters on one account (N RiskSummary resources) and one
 * RiskTrend; a preview and an update each count the API requests (target: the pages of one read,
 * whatever N) and the checkpoint gives the serialized `__provider` of each resource type.
 */

export interface FootprintOptions {
    readonly users: number;
    readonly calls: readonly number[];
}

export interface FootprintRow {
    readonly calls: number;
    readonly summaries: number;
    readonly previewRequests: number;
    readonly upRequests: number;
    /** Requests divided by the pages of one read. */
    readonly previewReads: number;
    readonly upReads: number;
}

export interface ProviderSize {
    readonly type: string;
    readonly resources: number;
    /** Largest `__provider` of that type, in bytes. */
    readonly bytes: number;
    /** Of which the absolute path of the installed provider module (depends on where the package lives). */
    readonly modulePathBytes: number;
}

export interface FootprintResult {
    readonly users: number;
    readonly pagesPerRead: number;
    /** The client's default page size, which the embedded API's cap allows. */
    readonly perPage: number;
    readonly rows: FootprintRow[];
    readonly providers: ProviderSize[];
}

interface CheckpointResource {
    type: string;
    inputs?: { __provider?: unknown };
}

function providerSizes(resources: CheckpointResource[]): ProviderSize[] {
    const byType = new Map<string, string[]>();
    for (const r of resources) {
        if (typeof r.inputs?.__provider !== "string") continue;
        const type = r.type.slice(r.type.lastIndexOf(":") + 1);
        byType.set(type, [...(byType.get(type) ?? []), r.inputs.__provider]);
    }
    return [...byType.entries()].map(([type, texts]) => {
        const longest = texts.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a));
        const modulePath = /implementationPath: "([^"]*)"/.exec(longest)?.[1] ?? "";
        return { type, resources: texts.length, bytes: Buffer.byteLength(longest), modulePathBytes: Buffer.byteLength(modulePath) };
    });
}

export async function runFootprintBenchmark(options: FootprintOptions): Promise<FootprintResult> {
    const api = await startLocalCloudflareApi({ size: options.users, cachePages: true });
    const pagesPerRead = Math.ceil(options.users / defaultPerPage);
    try {
        const rows: FootprintRow[] = [];
        let providers: ProviderSize[] = [];
        for (const calls of options.calls) {
            const stack = await BenchStack.create(path.join(fixturesDir, "many-calls"), {
                accountId: { value: api.accountId },
                calls: { value: String(calls) },
                "cloudflare:apiToken": { value: api.credentials.apiToken, secret: true },
                "cloudflare:baseUrl": { value: api.baseUrl },
            });
            try {
                const count = () => api.requests.length;
                api.resetRequestLog();
                const preview = await stack.run("preview", count);
                api.resetRequestLog();
                const up = await stack.run("up", count);
                const checkpoint = JSON.parse(await fs.readFile(await stack.checkpointFile(), "utf8")) as {
                    checkpoint: { latest: { resources: CheckpointResource[] } };
                };
                const resources = checkpoint.checkpoint.latest.resources;
                const summaries = resources.filter((r) => r.type.endsWith(":RiskSummary")).length;
                rows.push({
                    calls,
                    summaries,
                    previewRequests: preview.requests,
                    upRequests: up.requests,
                    previewReads: preview.requests / pagesPerRead,
                    upReads: up.requests / pagesPerRead,
                });
                progress(
                    `footprint: ${calls} calls, ${summaries} RiskSummary resources: preview ${preview.requests} requests, up ${up.requests} requests`,
                );
                if (calls === Math.max(...options.calls)) providers = providerSizes(resources);
            } finally {
                await stack.dispose();
            }
        }
        return { users: options.users, pagesPerRead, perPage: defaultPerPage, rows, providers };
    } finally {
        await api.stop();
    }
}
