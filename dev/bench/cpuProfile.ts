import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runWorker } from "./workerProtocol";

/**
 * `node --cpu-prof` of one worker, summarised by self time: which functions, and which packages or
 * modules, the busy (non-idle) time went to. Locations are shown relative to the package or
 * node_modules, never as paths of this machine.
 */

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

export interface ProfileEntry {
    readonly name: string;
    readonly ms: number;
    /** Share of the busy time (idle excluded). */
    readonly share: number;
}

export interface ProfileSummary {
    readonly busyMs: number;
    readonly idleMs: number;
    readonly topFunctions: ProfileEntry[];
    readonly byModule: ProfileEntry[];
}

/** `node_modules/zod/v4/core/schemas.js` -> `zod`; `dist/provider/x.js` -> `provider/x.js`; node internals as they are. */
export function moduleOf(url: string): string {
    if (url === "") return "(native, GC, VM)";
    if (url.startsWith("node:")) return "node internals";
    // undici parses HTTP with llhttp compiled to WebAssembly.
    if (url.startsWith("wasm://")) return "(WebAssembly)";
    const modules = url.lastIndexOf("/node_modules/");
    if (modules >= 0) {
        const rest = url.slice(modules + "/node_modules/".length).split("/");
        return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
    }
    const dist = url.lastIndexOf("/dist/");
    if (dist >= 0) return url.slice(dist + "/dist/".length);
    return path.basename(url);
}

function locationOf(frame: ProfileNode["callFrame"]): string {
    if (frame.url === "") return "";
    const module = moduleOf(frame.url);
    const file = frame.url.includes("/node_modules/") ? `${module}/…/${path.basename(frame.url)}` : module;
    return ` (${file}:${frame.lineNumber + 1})`;
}

function top(map: Map<string, number>, busyMs: number, count: number): ProfileEntry[] {
    return [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
        .map(([name, ms]) => ({ name, ms, share: ms / busyMs }));
}

export function summarizeCpuProfile(profile: CpuProfile, count = 12): ProfileSummary {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfMs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    let idleMs = 0;
    let busyMs = 0;
    const functions = new Map<string, number>();
    const modules = new Map<string, number>();
    for (const [id, ms] of selfMs) {
        const frame = (byId.get(id) as ProfileNode).callFrame;
        if (frame.functionName === "(idle)") {
            idleMs += ms;
            continue;
        }
        busyMs += ms;
        // Regular expressions are named after their source, which can run to hundreds of characters.
        const shown = frame.functionName.length > 60 ? `${frame.functionName.slice(0, 60)}…` : frame.functionName;
        const name = `${shown || "(anonymous)"}${locationOf(frame)}`;
        functions.set(name, (functions.get(name) ?? 0) + ms);
        const module = frame.functionName === "(garbage collector)" ? "(garbage collector)" : moduleOf(frame.url);
        modules.set(module, (modules.get(module) ?? 0) + ms);
    }
    return { busyMs, idleMs, topFunctions: top(functions, busyMs, count), byModule: top(modules, busyMs, count) };
}

export async function summarizeCpuProfileFile(file: string, count = 12): Promise<ProfileSummary> {
    return summarizeCpuProfile(JSON.parse(await fs.readFile(file, "utf8")) as CpuProfile, count);
}

/** Runs `script` under `--cpu-prof` in a scratch directory and summarises the profile it wrote. */
export async function profileWorker<A>(script: string, args: A, nodeArgs: readonly string[] = []): Promise<ProfileSummary> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "risk-bench-prof-"));
    try {
        await runWorker(script, args, { nodeArgs: [...nodeArgs, "--cpu-prof", "--cpu-prof-dir", dir] });
        const files = (await fs.readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
        if (files.length !== 1) throw new Error(`expected one CPU profile, found ${files.length}`);
        return await summarizeCpuProfileFile(path.join(dir, files[0] as string));
    } finally {
        await fs.rm(dir, { recursive: true, force: true });
    }
}
