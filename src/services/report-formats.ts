/** The report formats, in a module of their own: the CLI's help lists them without loading the report. */
export const REPORT_FORMATS = ["html", "md", "json", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
