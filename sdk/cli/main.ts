#!/usr/bin/env node
import { packageName, packageVersion } from "../../provider/summary/packageVersion";
import { RiskReportError } from "../report/errors";
import { type CliIo, processIo } from "./cliIo";
import { CliUsageError } from "./errors";
import { reportCommand, reportUsage } from "./reportCommand";

export const mainHelpCommand = `${packageName} --help`;

export const mainUsage = `Usage: ${packageName} <command> [options]

Commands:
  report <stack-export.json>...   write a Markdown and HTML risk report from \`pulumi stack export\` files

Options:
  -h, --help      show this help
  --version       show the version

Run "${packageName} <command> --help" for a command's options.`;

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const commands: Readonly<Record<string, { run: Command; usage: string }>> = {
    report: { run: reportCommand, usage: reportUsage },
};

/**
 * The command line, run in-process: returns the exit status instead of exiting. Known errors are
 * printed as one message, without a stack trace: they say what to fix, and a trace would not help.
 */
export async function cliMain(argv: readonly string[], io: CliIo = processIo): Promise<number> {
    const [command, ...rest] = argv;
    try {
        if (command === undefined) throw new CliUsageError("no command given", mainHelpCommand);
        if (command === "-h" || command === "--help") {
            io.stdout(mainUsage);
            return 0;
        }
        if (command === "--version") {
            io.stdout(packageVersion());
            return 0;
        }
        if (command === "help") {
            const topic = rest[0] === undefined ? undefined : commands[rest[0]];
            io.stdout(topic?.usage ?? mainUsage);
            return 0;
        }
        const entry = Object.hasOwn(commands, command) ? commands[command] : undefined;
        if (entry === undefined) {
            throw new CliUsageError(`unknown command "${command}" (commands: ${Object.keys(commands).join(", ")})`, mainHelpCommand);
        }
        return await entry.run(rest, io);
    } catch (error) {
        if (error instanceof CliUsageError) {
            io.stderr(`error: ${error.message}`);
            io.stderr(`Run "${error.helpCommand}" for usage.`);
            return 2;
        }
        if (error instanceof RiskReportError) {
            io.stderr(`error: ${error.message}`);
            return 2;
        }
        io.stderr(`error: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
    }
}

if (require.main === module) {
    void cliMain(process.argv.slice(2)).then((status) => {
        process.exitCode = status;
    });
}
