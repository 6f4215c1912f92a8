/** Programmatic API of the `report` command: read stack exports, build the model, render, write. */
export {
    parseStackExport,
    readStackExportFile,
    type StackExport,
    type StackExportSummary,
    type StackExportUsers,
    type StackExportAudit,
} from "./readStackExport";
export { riskSummaryResourceType } from "../resources/resourceTypes";
export { checkUsersDigest, type DigestCheck } from "./checkUsersDigest";
export { canonicalRiskUsersJson, riskUsersDigest } from "../../provider/summary/digest";
export { buildRiskReport, type BuildRiskReportOptions } from "./buildRiskReport";
export type {
    RiskReport,
    ReportExport,
    ReportSummary,
    ReportSeries,
    ReportPoint,
    ReportTrend,
    ReportChange,
    ReportChangeGroup,
    ReportUser,
    DigestTally,
    TrendKind,
} from "./riskReportModel";
export { renderMarkdownReport } from "./renderMarkdownReport";
export { renderHtmlReport } from "./renderHtmlReport";
export { riskLevelChartSvg, riskLevelColors, type RiskLevelChartGroup, type RiskLevelChartOptions } from "./riskLevelChartSvg";
export { writeRiskReport, defaultReportName, type WriteRiskReportOptions, type WrittenRiskReport } from "./writeRiskReport";
export {
    RiskReportError,
    StackExportError,
    StackExportFileError,
    StackExportJsonError,
    StackExportFormatError,
    NoRiskSummaryError,
    ReportWriteError,
    ReportOptionError,
    type StackExportIssue,
} from "./errors";
