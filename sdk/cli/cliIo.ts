/** Where a command writes; tests pass their own to run commands in-process. */
export interface CliIo {
    /** Writes one line (a newline is added). */
    stdout(line: string): void;
    stderr(line: string): void;
}

export const processIo: CliIo = {
    stdout: (line) => void process.stdout.write(`${line}\n`),
    stderr: (line) => void process.stderr.write(`${line}\n`),
};
