import { promises as fs } from "node:fs";

/** Processes (the CLI, language host, program, dynamic provider) whose environment carries `marker`. */
export async function processesWithMarker(marker: string): Promise<number[]> {
    const found: number[] = [];
    for (const pid of await fs.readdir("/proc")) {
        if (!/^\d+$/.test(pid)) continue;
        const environ = await fs.readFile(`/proc/${pid}/environ`, "utf8").catch(() => "");
        if (environ.includes(marker)) found.push(Number(pid));
    }
    return found;
}
