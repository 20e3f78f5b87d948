import path from "node:path";
import { z } from "zod";
import { attendancePdf, attendanceXlsx } from "../../reports/attendanceReport";
import { meetingListXlsx } from "../../reports/listExports";
import type { MeetingRecords } from "../../services/meetings/meetingRecords";
import type { MeetingService } from "../../services/meetings/MeetingService";
import { sendDownload, XLSX_CONTENT_TYPE } from "../download";
import { listExportRoute } from "../listExport";
import { defineRoute, idParamsSchema, pageOf, paginationQuerySchema } from "../route";
import {
  exportQuerySchema,
  fileSchema,
  listMeetingsQuerySchema,
  meetingRecordSchema,
  meetingSummarySchema,
  recordingParamsSchema,
  scheduleMeetingRequestSchema,
  upcomingMeetingSchema,
  updateMeetingRequestSchema,
} from "./schema";

/** Briefings: scheduling, what is coming, and each meeting's record (attendance, chat, recordings) with exports. */
export function meetingRoutes({ meetings, records, dataDir }: { meetings: MeetingService; records: MeetingRecords; dataDir: string }) {
  return [
    defineRoute({
      id: "meetings.schedule",
      method: "post",
      path: "/meetings",
      summary: "Schedule a briefing: title, room, time, agenda and invited units (the caller chairs it)",
      auth: "user",
      body: scheduleMeetingRequestSchema,
      response: upcomingMeetingSchema,
      status: 201,
      handler: ({ actor, body, meta }) => meetings.schedule(actor, body, meta),
    }),
    defineRoute({
      id: "meetings.update",
      method: "patch",
      path: "/meetings/:id",
      summary: "Change a briefing not yet started (time, title, agenda, invited units); invited accounts get the updated ICS invitation",
      auth: "user",
      params: idParamsSchema,
      body: updateMeetingRequestSchema,
      response: upcomingMeetingSchema,
      handler: ({ actor, params, body, meta }) => meetings.update(actor, params.id, body, meta),
    }),
    defineRoute({
      id: "meetings.cancel",
      method: "post",
      path: "/meetings/:id/cancel",
      summary: "Cancel a briefing not yet started; invited accounts get the ICS cancellation",
      auth: "user",
      params: idParamsSchema,
      response: upcomingMeetingSchema,
      handler: ({ actor, params, meta }) => meetings.cancel(actor, params.id, meta),
    }),
    defineRoute({
      id: "meetings.upcoming",
      method: "get",
      path: "/meetings/upcoming",
      summary: "Today's and upcoming meetings the caller may join (chair, host unit, or an invited unit above or at theirs)",
      auth: "user",
      response: z.object({ items: z.array(upcomingMeetingSchema) }),
      handler: ({ actor }) => meetings.upcoming(actor),
    }),
    defineRoute({
      id: "meetings.list",
      method: "get",
      path: "/meetings",
      summary: "Meetings the caller may read, newest first, with how many sites attended; search, status, days and sort",
      auth: "user",
      query: paginationQuerySchema.extend(listMeetingsQuerySchema.shape),
      response: pageOf(meetingSummarySchema),
      handler: ({ actor, query }) => meetings.list(actor, query, { page: query.page, pageSize: query.pageSize }),
    }),
    listExportRoute({
      id: "meetings.export",
      path: "/meetings/export.xlsx",
      summary: "The meetings list as XLSX: the same filters, search, order and authorization as GET /meetings",
      query: listMeetingsQuerySchema,
      rows: (actor, query, meta) => meetings.exportList(actor, query, meta),
      workbook: meetingListXlsx,
      fileName: "cuoc-hop",
    }),
    defineRoute({
      id: "meetings.read",
      method: "get",
      path: "/meetings/:id",
      summary: "One meeting's record: attendance per site (join/leave, minutes present, disconnections) and chat",
      auth: "user",
      params: idParamsSchema,
      response: meetingRecordSchema,
      handler: ({ actor, params, meta }) => records.record(actor, params.id, meta),
    }),
    defineRoute({
      id: "meetings.recordingDownload",
      method: "get",
      path: "/meetings/:id/recordings/:recordingId",
      summary: "Download a meeting's recording: one MP4 file (H.264 + AAC); its SHA-256 is in the meeting record",
      auth: "user",
      params: recordingParamsSchema,
      response: fileSchema,
      handler: async ({ actor, params, meta, res }) => {
        const row = await records.recordingFile(actor, params.id, params.recordingId, meta);
        return sendDownload(res, path.join(dataDir, row.file), {
          contentType: row.file.endsWith(".webm") ? "video/webm" : "video/mp4",
          fileName: path.basename(row.file),
          headers: row.sha256 ? { Digest: `sha-256=${Buffer.from(row.sha256, "hex").toString("base64")}` } : {},
        });
      },
    }),
    defineRoute({
      id: "meetings.attendanceExport",
      method: "get",
      path: "/meetings/:id/attendance",
      summary: "Attendance list as XLSX or PDF (Vietnamese text)",
      auth: "user",
      params: idParamsSchema,
      query: exportQuerySchema,
      response: fileSchema,
      handler: async ({ actor, params, query, res, meta }) => {
        const report = await records.attendanceReport(actor, params.id, meta);
        const file = query.format === "xlsx" ? await attendanceXlsx(report) : await attendancePdf(report);
        res.type(query.format === "xlsx" ? XLSX_CONTENT_TYPE : "application/pdf");
        res.attachment(`diem-danh-${report.roomId}.${query.format}`).send(file);
        return "";
      },
    }),
  ];
}
