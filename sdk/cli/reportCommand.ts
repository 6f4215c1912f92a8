import { parseArgs } from "node:util";
import { buildRiskReport } from "../report/buildRiskReport";
import { type StackExport, readStackExportFile } from "../report/readStackExport";
import { StackExportError } from "../report/errors";
import { defaultReportName, validateReportName, writeRiskReport } from "../report/writeRiskReport";
import type { CliIo } from "./cliIo";
import { CliUsageError } from "./errors";

export const reportHelpCommand = "pulumi-cloudflare-risk report --help";

export const reportUsage = `Usage: pulumi-cloudflare-risk report <stack-export.json>... [options]

Reads one or more \`pulumi stack export\` files and writes a Markdown and a self-contained HTML
report of their RiskSummary resources: users per risk level (with a chart), the trend from one
export to the next, the high-risk users, and a check of each summary's users against the SHA-256
in its audit output.

Options:
  --out-dir <dir>     folder for the report, created if missing (default: .)
  --name <basename>   report file name without extension (default: ${defaultReportName}),
                      writes <basename>.md and <basename>.html
  --reveal-emails     show emails and names in full (default: masked emails, no names)
  -h, --help          show this help

Per-user trends, the high-risk list and the digest check need the users in plaintext:
  pulumi stack export --show-secrets --file stack-export.json

Exit status: 0 report written; 1 report written, but a digest MISMATCH was found;
2 wrong arguments or an unusable export file.`;

interface ReportArguments {
    readonly files: readonly string[];
    readonly outDir: string;
    readonly name: string;
    readonly revealEmails: boolean;
    readonly help: boolean;
}

function parseReportArguments(argv: readonly string[]): ReportArguments {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: {
                "out-dir": { type: "string" },
                name: { type: "string" },
                "reveal-emails": { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            allowPositionals: true,
            strict: true,
        });
    } catch (error) {
        // parseArgs names the option and how to pass a file whose name starts with "-".
        throw new CliUsageError((error as Error).message, reportHelpCommand);
    }
    const { values, positionals } = parsed;
    const help = values.help === true;
    if (!help && positionals.length === 0) {
        throw new CliUsageError(
            "report needs at least one stack export file (from `pulumi stack export --show-secrets --file <file>`)",
            reportHelpCommand,
        );
    }
    const outDir = values["out-dir"] ?? ".";
    if (outDir === "") throw new CliUsageError("--out-dir must not be empty", reportHelpCommand);
    return {
        files: positionals,
        outDir,
        name: validateReportName(values.name ?? defaultReportName),
        revealEmails: values["reveal-emails"] === true,
        help,
    };
}

/** Reads every file before failing, so that one run reports all the unusable ones. */
async function readExports(files: readonly string[], io: CliIo): Promise<StackExport[] | undefined> {
    const results = await Promise.allSettled(files.map((f) => readStackExportFile(f)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    const unexpected = failed.find((r) => !(r.reason instanceof StackExportError));
    if (unexpected !== undefined) throw unexpected.reason;
    for (const r of failed) io.stderr(`error: ${(r.reason as StackExportError).message}`);
    if (failed.length > 0) return undefined;
    return results.map((r) => (r as PromiseFulfilledResult<StackExport>).value);
}

/** `report`: exit status 0 written, 1 written with a digest mismatch, 2 unusable arguments or files. */
export async function reportCommand(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseReportArguments(argv);
    if (args.help) {
        io.stdout(reportUsage);
        return 0;
    }
    // Not named `exports`: in CommonJS output that would shadow the module's own exports.
    const stackExports = await readExports(args.files, io);
    if (stackExports === undefined) return 2;
    const report = buildRiskReport(stackExports, { revealEmails: args.revealEmails });
    const written = await writeRiskReport(report, { outDir: args.outDir, name: args.name });
    io.stdout(`Wrote ${written.markdownPath}`);
    io.stdout(`Wrote ${written.htmlPath}`);
    const d = report.digests;
    io.stdout(
        `Digest check: ${d.verified} verified, ${d.mismatch} MISMATCH, ${d.encrypted} not checked (users encrypted), ${d.noAudit} without audit output.`,
    );
    if (d.mismatch === 0) return 0;
    for (const exp of report.exports) {
        for (const s of exp.summaries) {
            if (s.digest.status === "mismatch") {
                io.stderr(
                    `error: ${exp.file}: digest MISMATCH for ${s.resourceName}: the users in the export are not the ones the deployment read (see the report).`,
                );
            }
        }
    }
    return 1;
}
