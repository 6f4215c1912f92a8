import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { renderHtmlReport } from "./renderHtmlReport";
import { renderMarkdownReport } from "./renderMarkdownReport";
import { ReportOptionError, ReportWriteError } from "./errors";
import type { RiskReport } from "./riskReportModel";

export const defaultReportName = "risk-report";

export interface WriteRiskReportOptions {
    /** Folder for the two files, created if missing (default: the current folder). */
    readonly outDir?: string;
    /** File name without extension (default `risk-report`): `<name>.md` and `<name>.html`. */
    readonly name?: string;
}

export interface WrittenRiskReport {
    readonly markdownPath: string;
    readonly htmlPath: string;
}

/** A bare file name: the folder is `outDir`'s job, and a name must not escape it. */
export function validateReportName(name: string): string {
    if (name === "" || name === "." || name === ".." || /[/\\]/.test(name) || name.includes("\0")) {
        throw new ReportOptionError(
            "--name",
            `${JSON.stringify(name)} is not a file name`,
            "Give a base name such as risk-report, and the folder with --out-dir.",
        );
    }
    return name;
}

async function write(file: string, text: string): Promise<void> {
    try {
        await writeFile(file, text, "utf8");
    } catch (error) {
        throw new ReportWriteError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
}

export async function writeRiskReport(report: RiskReport, options: WriteRiskReportOptions = {}): Promise<WrittenRiskReport> {
    const name = validateReportName(options.name ?? defaultReportName);
    const outDir = options.outDir ?? ".";
    try {
        await mkdir(outDir, { recursive: true });
    } catch (error) {
        throw new ReportWriteError(outDir, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
    const markdownPath = path.join(outDir, `${name}.md`);
    const htmlPath = path.join(outDir, `${name}.html`);
    await write(markdownPath, renderMarkdownReport(report));
    await write(htmlPath, renderHtmlReport(report));
    return { markdownPath, htmlPath };
}
