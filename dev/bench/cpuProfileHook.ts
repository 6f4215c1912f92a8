import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import * as path from "node:path";

/**
 * Preloaded with `NODE_OPTIONS=--require <this file>` into the node processes of one `pulumi` run
 * (`--cpu-prof` is not allowed in NODE_OPTIONS): profiles the process and writes
 * `<role>-<pid>.cpuprofile` into BENCH_CPU_PROFILE_DIR when it exits or is told to stop. The role
 * is the program or the dynamic provider, from the script node runs.
 */

const dir = process.env.BENCH_CPU_PROFILE_DIR;
const script = process.argv.slice(1).join(" ");
// `node -e` runs that only resolve the script (the language host's) name it too, but run nothing.
const evaluated = process.execArgv.some((a) => a === "-e" || a === "--eval" || a === "-p" || a === "--print");
const role = evaluated
    ? undefined
    : script.includes("cmd/dynamic-provider")
      ? "provider"
      : script.includes("cmd/run")
        ? "program"
        : undefined;

if (dir !== undefined && role !== undefined) {
    const session = new Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.start");
    let written = false;
    const write = () => {
        if (written) return;
        written = true;
        // The in-process inspector answers synchronously, so this completes even from an exit handler.
        session.post("Profiler.stop", (error, result) => {
            if (error === null) writeFileSync(path.join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        });
    };
    process.on("exit", write);
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
        process.on(signal, () => {
            write();
            process.exit(0);
        });
    }
}
