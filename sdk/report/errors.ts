import { CloudflareRiskError } from "../../provider/errors/cloudflareRiskError";
import { listFirst } from "../../provider/errors/listFirst";
import { riskSummaryResourceType } from "../resources/resourceTypes";

/** Base class of the report's errors; part of the package's `CloudflareRiskError` family. */
export class RiskReportError extends CloudflareRiskError {
    override readonly code: string = "CFRISK_REPORT";
}

/** A stack export could not be used. The message names the file, what is wrong and how to fix it. */
export class StackExportError extends RiskReportError {
    override readonly code: string = "CFRISK_STACK_EXPORT";

    constructor(
        /** The file as it was given (on the command line or to `readStackExportFile`). */
        readonly file: string,
        readonly reason: string,
        readonly fix: string,
    ) {
        super(`${file}: ${reason}. ${fix}`);
    }
}

const exportFix = "Create it with `pulumi stack export --show-secrets --file <file>` in the stack's project folder.";

/** The file is missing or cannot be read. */
export class StackExportFileError extends StackExportError {
    override readonly code = "CFRISK_STACK_EXPORT_FILE";

    constructor(
        file: string,
        readonly systemCode: string | undefined,
        reason: string,
    ) {
        super(file, reason, systemCode === "ENOENT" ? `Check the path. ${exportFix}` : `Check the path and its permissions. ${exportFix}`);
    }
}

/** The file is not JSON at all (a log, a `pulumi stack output` text, a truncated file). */
export class StackExportJsonError extends StackExportError {
    override readonly code = "CFRISK_STACK_EXPORT_JSON";

    constructor(file: string, parseMessage: string) {
        super(file, `not JSON (${parseMessage})`, `The report reads the JSON that \`pulumi stack export\` writes. ${exportFix}`);
    }
}

export interface StackExportIssue {
    /** Where in the file, e.g. `deployment.resources[2].outputs.counts.high`. */
    readonly path: string;
    readonly problem: string;
}

/** The JSON is not a stack export, or a RiskSummary resource in it does not have the expected outputs. */
export class StackExportFormatError extends StackExportError {
    override readonly code = "CFRISK_STACK_EXPORT_FORMAT";

    constructor(
        file: string,
        readonly issues: readonly StackExportIssue[],
        fix: string = exportFix,
    ) {
        const shown = listFirst(
            issues.map((i) => (i.path === "" ? i.problem : `${i.path}: ${i.problem}`)),
            5,
            "; ",
        );
        super(file, `not a usable Pulumi stack export: ${shown}`, fix);
    }
}

/** A valid stack export without any RiskSummary resource: the wrong stack, or one never deployed. */
export class NoRiskSummaryError extends StackExportError {
    override readonly code = "CFRISK_NO_RISK_SUMMARY";

    constructor(
        file: string,
        readonly resourceCount: number,
    ) {
        super(
            file,
            `no resource of type ${riskSummaryResourceType} among its ${resourceCount} resources`,
            "Export a stack whose program calls getRiskSummary, getRiskSummaryOutput or new RiskSummaryResource, after `pulumi up`.",
        );
    }
}

/** The report files could not be written. */
export class ReportWriteError extends RiskReportError {
    override readonly code = "CFRISK_REPORT_WRITE";

    constructor(
        readonly path: string,
        reason: string,
    ) {
        super(`Cannot write ${path}: ${reason}. Choose a writable folder with --out-dir.`);
    }
}

/** An option of the report (a file name, a folder) is not usable. */
export class ReportOptionError extends RiskReportError {
    override readonly code = "CFRISK_REPORT_OPTION";

    constructor(
        readonly option: string,
        readonly reason: string,
        readonly fix: string,
    ) {
        super(`Invalid ${option}: ${reason}. ${fix}`);
    }
}

/** A `plaintext` envelope whose text is not JSON; carries where it was found, for the reader to name it. */
export class SecretPlaintextError extends RiskReportError {
    override readonly code = "CFRISK_SECRET_PLAINTEXT";

    constructor(readonly path: (string | number)[]) {
        super("a secret's plaintext is not JSON");
    }
}
