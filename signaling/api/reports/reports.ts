import { caseStatistics } from "../../services/cases/caseStatistics";
import type { Db } from "../../db/client";
import { authorize, reportPolicy } from "../../policies";
import { caseReportPdf } from "../../reports/caseReportPdf";
import { caseReportXlsx } from "../../reports/caseReportXlsx";
import { defineRoute } from "../route";
import { caseStatisticsSchema, fileSchema, reportQuerySchema, statsQuerySchema } from "./schema";

const CONTENT_TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pdf: "application/pdf" } as const;

export function reportRoutes(deps: { db: Db }) {
  return [
    defineRoute({
      id: "stats.cases",
      method: "get",
      path: "/stats/cases",
      summary: "Petition figures for a period in the caller's units (dashboard)",
      auth: "user",
      query: statsQuerySchema,
      response: caseStatisticsSchema,
      handler: async ({ actor, query }) => {
        authorize(reportPolicy.read(actor));
        return caseStatistics(deps.db, actor, query.period);
      },
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
        authorize(reportPolicy.read(actor));
        const stats = await caseStatistics(deps.db, actor, query.period);
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
