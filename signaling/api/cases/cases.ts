import type { CaseService } from "../../services/cases/cases";
import type { CaseAction } from "../../domain/cases/workflow";
import { caseListXlsx } from "../../reports/listExports";
import { listExportRoute } from "../listExport";
import { z } from "zod";
import { defineRoute, idParamsSchema, pageOf, paginationQuerySchema } from "../route";
import {
  actionBodySchema,
  actionParamsSchema,
  assignRequestSchema,
  caseDetailSchema,
  caseSummarySchema,
  chainCheckSchema,
  createCaseRequestSchema,
  createCaseResponseSchema,
  listCasesQuerySchema,
  notificationSchema,
  verifyAllSchema,
} from "./schema";

export function caseRoutes({ cases }: { cases: CaseService }) {
  return [
    defineRoute({
      id: "cases.list",
      method: "get",
      path: "/cases",
      summary: "Petitions in the caller's units, nearest deadline first; filters by state, kind, unit, deadline, text",
      auth: "user",
      // `after`: keyset paging of the unfiltered work queue (the `nextCursor` of the previous page).
      query: paginationQuerySchema.extend(listCasesQuerySchema.shape).extend({ after: z.string().max(200).optional() }),
      // `totalIsLowerBound`: a search with more hits than it ranks; `total` is what can be paged through.
      response: pageOf(caseSummarySchema).extend({ nextCursor: z.string().nullable().optional(), totalIsLowerBound: z.boolean().optional() }),
      handler: ({ actor, query }) => cases.list(actor, query, { page: query.page, pageSize: query.pageSize }),
    }),
    defineRoute({
      id: "cases.notifications",
      method: "get",
      path: "/notifications",
      summary: "Cases due within 5 days or overdue: assigned to the caller, or unassigned in their units",
      auth: "user",
      response: z.object({ items: z.array(notificationSchema) }),
      handler: async ({ actor }) => ({ items: await cases.notifications(actor) }),
    }),
    defineRoute({
      id: "cases.verifyAll",
      method: "get",
      path: "/cases-integrity",
      summary: "Check every case history in the caller's units; lists altered ones with their first broken link",
      auth: "user",
      response: verifyAllSchema,
      handler: ({ actor }) => cases.verifyAll(actor),
    }),
    defineRoute({
      id: "cases.create",
      method: "post",
      path: "/cases",
      summary: "Record a petition received by post, by hand or at a reception; returns its code and lookup secret",
      auth: "user",
      body: createCaseRequestSchema,
      response: createCaseResponseSchema,
      status: 201,
      handler: ({ actor, body, meta }) => cases.create(actor, body, meta),
    }),
    listExportRoute({
      id: "cases.export",
      path: "/cases/export.xlsx",
      summary: "The case list as XLSX: the same filters, search, order, authorization and masking as GET /cases",
      query: listCasesQuerySchema,
      rows: (actor, query, meta) => cases.exportList(actor, query, meta),
      workbook: caseListXlsx,
      fileName: "don-thu",
    }),
    defineRoute({
      id: "cases.read",
      method: "get",
      path: "/cases/:id",
      summary: "One petition with its parties (denouncer identity only for those entitled), history and next steps",
      auth: "user",
      params: idParamsSchema,
      response: caseDetailSchema,
      handler: ({ actor, params, meta }) => cases.detail(actor, params.id, meta),
    }),
    defineRoute({
      id: "cases.act",
      method: "post",
      path: "/cases/:id/actions/:action",
      summary: "Take a workflow step (classify, accept, forward, extend, suspend, conclude…) with its required fields",
      auth: "user",
      params: actionParamsSchema,
      body: actionBodySchema,
      response: caseDetailSchema,
      handler: ({ actor, params, body, meta }) => cases.apply(actor, params.id, params.action as CaseAction, body, meta),
    }),
    defineRoute({
      id: "cases.assign",
      method: "post",
      path: "/cases/:id/assign",
      summary: "Assign the case to an officer or inspector",
      auth: "user",
      params: idParamsSchema,
      body: assignRequestSchema,
      response: caseDetailSchema,
      handler: ({ actor, params, body, meta }) => cases.assign(actor, params.id, body.assigneeId, meta),
    }),
    defineRoute({
      id: "cases.verify",
      method: "get",
      path: "/cases/:id/verify",
      summary: "Check the case history's hash chain; reports the first broken link",
      auth: "user",
      params: idParamsSchema,
      response: chainCheckSchema,
      handler: ({ actor, params }) => cases.verifyHistory(actor, params.id),
    }),
  ];
}
