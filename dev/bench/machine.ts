import { readFileSync } from "node:fs";
import * as os from "node:os";

/** What the numbers were measured on: enough to compare runs, nothing that identifies the machine's files. */

export interface MachineInfo {
    readonly cpuModel: string;
    readonly cores: number;
    readonly memoryBytes: number;
    readonly node: string;
    readonly os: string;
    /** ISO 8601, UTC, to the minute. */
    readonly date: string;
}

function osName(): string {
    try {
        const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
        if (pretty) return `${pretty} (${os.type()} ${os.release()}, ${os.arch()})`;
    } catch {
        // Not Linux, or no os-release: the kernel's own name will do.
    }
    return `${os.type()} ${os.release()} (${os.arch()})`;
}

export function describeMachine(now = new Date()): MachineInfo {
    const cpus = os.cpus();
    return {
        cpuModel: cpus[0]?.model.trim() ?? "unknown",
        cores: cpus.length,
        memoryBytes: os.totalmem(),
        node: process.version,
        os: osName(),
        date: `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    };
}
