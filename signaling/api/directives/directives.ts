import { z } from "zod";
import { signedDocumentQuerySchema, signingModeOf } from "../../protocol";
import type { MeetingMinutesService } from "../../services/directives/notice";
import type { DirectiveTasks } from "../../services/directives/tasks";
import { sendDownload, sendGenerated } from "../download";
import { defineRoute, idParamsSchema, incomingFileSchema } from "../route";
import {
  carriedOverSchema,
  directiveMatrixSchema,
  directiveTaskDetailSchema,
  directiveTaskSchema,
  fileSchema,
  matrixQuerySchema,
  meetingMinutesSchema,
  minutesUpdateSchema,
  taskAttachmentSchema,
  taskFileParamsSchema,
  taskReportRequestSchema,
  tasksQuerySchema,
  uploadQuerySchema,
} from "./schema";

/** After the briefing: its minutes and conclusion notice, and the directives followed up as the units' tasks. */
export function directiveRoutes({ minutes, tasks, maxAttachmentBytes }: { minutes: MeetingMinutesService; tasks: DirectiveTasks; maxAttachmentBytes: number }) {
  return [
    defineRoute({
      id: "meetings.minutes.read",
      method: "get",
      path: "/meetings/:id/minutes",
      summary: "A briefing's minutes: notes, conclusions, directives with each unit's standing, and the notice's fields",
      auth: "user",
      params: idParamsSchema,
      response: meetingMinutesSchema,
      handler: ({ actor, params }) => minutes.read(actor, params.id),
    }),
    defineRoute({
      id: "meetings.minutes.update",
      method: "patch",
      path: "/meetings/:id/minutes",
      summary: "Set the conclusion notice's number, place and signer (the chair, the secretary or the issuing unit's staff)",
      auth: "user",
      params: idParamsSchema,
      body: minutesUpdateSchema,
      response: meetingMinutesSchema,
      handler: ({ actor, params, body }) => minutes.updateNotice(actor, params.id, body),
    }),
    defineRoute({
      id: "meetings.conclusionNotice",
      method: "get",
      path: "/meetings/:id/conclusion-notice",
      summary:
        "The conclusion notice (Thông báo kết luận, NĐ 30/2020 layout) as PDF, with the attendance as annex, signed (PAdES) with the issuing unit's certificate when it has one; signed=1 demands the signature, signed=0 gives an unsigned draft; header X-Document-Signature says which",
      auth: "user",
      params: idParamsSchema,
      query: signedDocumentQuerySchema,
      response: fileSchema,
      handler: async ({ actor, params, query, meta, res }) => {
        const { file, fileName, signature } = await minutes.noticePdf(actor, params.id, meta, signingModeOf(query.signed));
        return sendGenerated(res, file, { contentType: "application/pdf", fileName, signature });
      },
    }),
    defineRoute({
      id: "meetings.carriedOver",
      method: "get",
      path: "/meetings/:id/carried-over",
      summary: "The open directives of the previous briefing of the same chair (or host unit)",
      auth: "user",
      params: idParamsSchema,
      response: carriedOverSchema,
      handler: ({ actor, params }) => minutes.carriedOver(actor, params.id),
    }),
    defineRoute({
      id: "directives.tasks.mine",
      method: "get",
      path: "/directive-tasks",
      summary: "Nhiệm vụ được giao: the directives addressed to the caller's unit, nearest due date first",
      auth: "user",
      query: tasksQuerySchema,
      response: z.object({ items: z.array(directiveTaskSchema) }),
      handler: async ({ actor, query }) => ({ items: await tasks.mine(actor, query.status) }),
    }),
    defineRoute({
      id: "directives.tasks.read",
      method: "get",
      path: "/directive-tasks/:id",
      summary: "One unit's task with its reports and files",
      auth: "user",
      params: idParamsSchema,
      response: directiveTaskDetailSchema,
      handler: ({ actor, params }) => tasks.read(actor, params.id),
    }),
    defineRoute({
      id: "directives.tasks.report",
      method: "post",
      path: "/directive-tasks/:id/reports",
      summary: "Report progress on a task, or that it is done (the unit's officers and leaders)",
      auth: "user",
      params: idParamsSchema,
      body: taskReportRequestSchema,
      response: directiveTaskDetailSchema,
      status: 201,
      handler: ({ actor, params, body, meta }) => tasks.report(actor, params.id, body, meta),
    }),
    defineRoute({
      id: "directives.tasks.upload",
      method: "post",
      path: "/directive-tasks/:id/attachments",
      summary: "Attach a file (PDF, JPEG, PNG, Word, Excel; checked on content) to a task's report; body = the file",
      auth: "user",
      params: idParamsSchema,
      query: uploadQuerySchema,
      body: incomingFileSchema,
      rawBody: { limitBytes: maxAttachmentBytes },
      response: taskAttachmentSchema,
      status: 201,
      handler: ({ actor, params, query, body, meta }) => tasks.upload(actor, params.id, query.name, body, meta),
    }),
    defineRoute({
      id: "directives.tasks.file",
      method: "get",
      path: "/directive-tasks/:id/attachments/:attachmentId",
      summary: "Download a file of a task's report",
      auth: "user",
      params: taskFileParamsSchema,
      response: fileSchema,
      handler: async ({ actor, params, res }) => {
        const file = await tasks.openFile(actor, params.id, params.attachmentId);
        return sendDownload(res, file.file, { contentType: file.mimeType, fileName: file.originalName });
      },
    }),
    defineRoute({
      id: "directives.matrix",
      method: "get",
      path: "/directives/matrix",
      summary: "Units × directives (done, late, overdue, open) for the directives the caller follows up; by meeting or period",
      auth: "user",
      query: matrixQuerySchema,
      response: directiveMatrixSchema,
      handler: ({ actor, query }) => tasks.matrix(actor, query),
    }),
  ];
}
