import { readFileSync, readdirSync } from "node:fs";

/**
 * Watches the process tree under one pid (a `pulumi` run) through /proc: for each role (a substring
 * of the command line, e.g. the dynamic-provider script), when its processes were first and last
 * seen and their peak RSS (VmHWM, which the kernel keeps as a high-water mark, so a poll every
 * ~50 ms misses at most the growth of the last interval before the process exits).
 */

/** How often the watch polls /proc, in milliseconds (the resolution of the process times it reports). */
export const pollIntervalMs = 50;

export interface RoleObservation {
    readonly pids: number[];
    /** Largest VmHWM seen among the role's processes, in bytes; 0 if never seen. */
    readonly peakRssBytes: number;
    /** Milliseconds since the watch started. */
    readonly firstSeenMs: number | undefined;
    readonly lastSeenMs: number | undefined;
}

export interface ProcessWatch<R extends string> {
    stop(): Record<R, RoleObservation>;
}

function readText(file: string): string | undefined {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined; // The process ended between the listing and the read.
    }
}

/** Parent pid from /proc/<pid>/stat; the command name in parentheses may itself hold spaces or parentheses. */
function parentOf(pid: number): number | undefined {
    const stat = readText(`/proc/${pid}/stat`);
    if (stat === undefined) return undefined;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
}

function highWaterMarkBytes(pid: number): number | undefined {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readText(`/proc/${pid}/status`) ?? "");
    return match ? Number(match[1]) * 1024 : undefined;
}

function descendantsOf(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const pid = Number(entry);
        const parent = parentOf(pid);
        if (parent === undefined) continue;
        const list = children.get(parent) ?? [];
        list.push(pid);
        children.set(parent, list);
    }
    const found: number[] = [];
    const queue = [root];
    while (queue.length > 0) {
        const pid = queue.shift() as number;
        for (const child of children.get(pid) ?? []) {
            found.push(child);
            queue.push(child);
        }
    }
    return found;
}

export function watchProcessTree<R extends string>(
    rootPid: number,
    roles: Record<R, string>,
    intervalMs = pollIntervalMs,
    onTick?: (elapsedMs: number) => void,
): ProcessWatch<R> {
    const start = performance.now();
    const names = Object.keys(roles) as R[];
    const state = Object.fromEntries(
        names.map((r) => [
            r,
            { pids: new Set<number>(), peak: 0, first: undefined as number | undefined, last: undefined as number | undefined },
        ]),
    );
    // A pid keeps its role once matched; an unmatched one is looked at again, as it may not have exec'd yet.
    const roleOf = new Map<number, R>();

    const tick = () => {
        const elapsed = performance.now() - start;
        for (const pid of descendantsOf(rootPid)) {
            let role = roleOf.get(pid);
            if (role === undefined) {
                const cmdline = readText(`/proc/${pid}/cmdline`)?.split("\0").join(" ") ?? "";
                role = names.find((r) => cmdline.includes(roles[r]));
                if (role === undefined) continue;
                roleOf.set(pid, role);
            }
            const hwm = highWaterMarkBytes(pid);
            if (hwm === undefined) continue;
            const s = state[role] as { pids: Set<number>; peak: number; first: number | undefined; last: number | undefined };
            s.pids.add(pid);
            s.peak = Math.max(s.peak, hwm);
            s.first ??= elapsed;
            s.last = elapsed;
        }
        onTick?.(elapsed);
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            return Object.fromEntries(
                names.map((r) => {
                    const s = state[r] as { pids: Set<number>; peak: number; first: number | undefined; last: number | undefined };
                    return [r, { pids: [...s.pids], peakRssBytes: s.peak, firstSeenMs: s.first, lastSeenMs: s.last }];
                }),
            ) as Record<R, RoleObservation>;
        },
    };
}
