import type { ReportService } from "../../services/reports/ReportService";
import { caseReportPdf } from "../../reports/caseReportPdf";
import { caseReportXlsx } from "../../reports/caseReportXlsx";
import { defineRoute } from "../route";
import { caseStatisticsSchema, fileSchema, reportQuerySchema, statsQuerySchema } from "./schema";

const CONTENT_TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pdf: "application/pdf" } as const;

export function reportRoutes(deps: { reports: ReportService }) {
  return [
    defineRoute({
      id: "stats.cases",
      method: "get",
      path: "/stats/cases",
      summary: "Petition figures for a period in the caller's units (dashboard)",
      auth: "user",
      query: statsQuerySchema,
      response: caseStatisticsSchema,
      handler: ({ actor, query }) => deps.reports.caseStatistics(actor, query.period),
    }),
    defineRoute({
      id: "reports.cases",
      method: "get",
      path: "/reports/cases",
      summary: "The periodic petition report (quarter, 6 months, 9 months, year) as XLSX or PDF",
      auth: "user",
      query: reportQuerySchema,
      response: fileSchema,
      handler: async ({ actor, query, res }) => {
        const stats = await deps.reports.caseStatistics(actor, query.period);
        const file = query.format === "xlsx" ? await caseReportXlsx(stats) : await caseReportPdf(stats);
        res
          .status(200)
          .type(CONTENT_TYPES[query.format])
          .attachment(`bao-cao-don-thu-${query.period.id}.${query.format}`)
          .send(file);
        return "";
      },
    }),
  ];
}
