import * as path from "node:path";
import ts from "typescript";

/**
 * The names a user can import, values and types alike. The lists are written out so that the
 * public surface grows only on purpose: a new export fails this test until it is added here.
 */
function exportNames(entry: string): string[] {
    const file = path.resolve(__dirname, "..", "..", entry);
    const program = ts.createProgram([file], {
        strict: true,
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        types: ["node"],
        noEmit: true,
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    return checker
        .getExportsOfModule(checker.getSymbolAtLocation(source)!)
        .map((s) => s.getName())
        .sort();
}

describe("the public surface", () => {
    it("the package root exports the Pulumi API, fetchRiskSummary, their types and the errors", () => {
        expect(exportNames("index.ts")).toEqual(
            [
                "CloudflareApiError",
                "CloudflareMessage",
                "CloudflareRequestError",
                "CloudflareResponseError",
                "CloudflareResponseTooLargeError",
                "CloudflareRiskError",
                "FetchRiskSummaryOptions",
                "GetRiskSummaryArgs",
                "GetRiskSummaryOutputArgs",
                "GetRiskSummaryResult",
                "IncompletePaginationError",
                "InconsistentReadError",
                "RequestBudget",
                "RequestBudgetError",
                "RequestLimiter",
                "RequestLimits",
                "RiskGate",
                "RiskGateArgs",
                "RiskGateError",
                "RiskGateMode",
                "RiskGateRules",
                "RiskGateViolation",
                "RiskLevel",
                "RiskLevelChange",
                "RiskSummary",
                "RiskSummaryArgumentError",
                "RiskSummaryAudit",
                "RiskSummaryCounts",
                "RiskSummaryFilters",
                "RiskSummaryResource",
                "RiskSummaryResourceArgs",
                "RiskSummaryUsageError",
                "RiskSummaryValidationError",
                "RiskTrend",
                "RiskTrendArgs",
                "RiskTrendCounts",
                "RiskTrendSource",
                "RiskUser",
                "StoredStateError",
                "ValidationIssue",
                "fetchRiskSummary",
                "getRiskSummary",
                "getRiskSummaryOutput",
                "resetRiskSummaryCalls",
            ].sort(),
        );
    });

    it("the root's values at run time are the classes and functions among them", () => {
        const runtime = Object.keys(require("../../index") as object).sort();
        expect(runtime).toEqual(
            [
                "CloudflareApiError",
                "CloudflareRequestError",
                "CloudflareResponseError",
                "CloudflareResponseTooLargeError",
                "CloudflareRiskError",
                "IncompletePaginationError",
                "InconsistentReadError",
                "RequestBudgetError",
                "RequestLimiter",
                "RiskGate",
                "RiskGateError",
                "RiskSummaryArgumentError",
                "RiskSummaryResource",
                "RiskSummaryUsageError",
                "RiskSummaryValidationError",
                "RiskTrend",
                "StoredStateError",
                "fetchRiskSummary",
                "getRiskSummary",
                "getRiskSummaryOutput",
                "resetRiskSummaryCalls",
            ].sort(),
        );
    });

    it("pulumi-cloudflare-risk/report exports the report's programmatic API", () => {
        expect(exportNames("sdk/report/index.ts")).toMatchSnapshot();
    });
});
