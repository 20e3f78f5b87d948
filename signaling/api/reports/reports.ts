import type { ReportService } from "../../services/reports/ReportService";
import { signingModeOf } from "../../protocol";
import { sendGenerated } from "../download";
import { defineRoute } from "../route";
import { caseStatisticsSchema, fileSchema, reportQuerySchema, statsQuerySchema } from "./schema";

export function reportRoutes({ reports }: { reports: ReportService }) {
  return [
    defineRoute({
      id: "stats.cases",
      method: "get",
      path: "/stats/cases",
      summary: "Petition figures for a period in the caller's units (dashboard)",
      auth: "user",
      query: statsQuerySchema,
      response: caseStatisticsSchema,
      handler: ({ actor, query }) => reports.caseStatistics(actor, query.period),
    }),
    defineRoute({
      id: "reports.cases",
      method: "get",
      path: "/reports/cases",
      summary:
        "The periodic petition report (quarter, 6 months, 9 months, year) as XLSX or PDF; the PDF is signed (PAdES) with the caller's unit's certificate when it has one (signed=1 demands it, signed=0 gives a draft; header X-Document-Signature)",
      auth: "user",
      query: reportQuerySchema,
      response: fileSchema,
      handler: async ({ actor, query, meta, res }) => {
        const exported = await reports.caseReportFile(actor, query.period, query.format, meta, signingModeOf(query.signed));
        return sendGenerated(res, exported.file, exported);
      },
    }),
  ];
}
