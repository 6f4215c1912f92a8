import { cliMain } from "../../sdk/cli/main";

export interface CliRun {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the command line in-process, capturing what it prints. */
export async function runCli(argv: readonly string[]): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await cliMain(argv, { stdout: (l) => void out.push(l), stderr: (l) => void err.push(l) });
    return { status, stdout: out.join("\n"), stderr: err.join("\n") };
}
