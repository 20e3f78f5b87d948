import { z } from "zod";
import type { Actor } from "../policies";
import { describeFilters } from "../reports/listExports";
import { exportFileName, sendGenerated, XLSX_CONTENT_TYPE } from "./download";
import { defineRoute } from "./route";

/**
 * `GET /<list>/export.xlsx` (docs/list-endpoints.md): the list's own query schema, the service's export
 * method (the list's rows, authorization, masking and audit) and a workbook renderer. Mount it before the
 * resource's `/:id` route, which would otherwise take "export.xlsx" for an id.
 */
export function listExportRoute<Q extends Record<string, string | undefined>, Row>(options: {
  id: string;
  path: string;
  summary: string;
  query: z.ZodType<Q>;
  rows: (actor: Actor, query: Q, meta: { ip: string }) => Promise<Row[]>;
  workbook: (rows: readonly Row[], filters: string) => Promise<Buffer>;
  /** The file's name before its date, e.g. "don-thu" → don-thu-20261207.xlsx. */
  fileName: string;
}) {
  return defineRoute({
    id: options.id,
    method: "get",
    path: options.path,
    summary: `${options.summary}; all pages, at most 5000 rows; audited`,
    auth: "user",
    query: options.query,
    response: z.string().describe("binary file (XLSX)"),
    handler: async ({ actor, query, meta, res }) => {
      const rows = await options.rows(actor, query, meta);
      return sendGenerated(res, await options.workbook(rows, describeFilters(query)), { contentType: XLSX_CONTENT_TYPE, fileName: exportFileName(options.fileName) });
    },
  });
}
