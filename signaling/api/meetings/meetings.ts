import type { Db } from "../../db/client";
import { summariseAttendance } from "../../domain/attendance";
import { AppError } from "../../errors";
import { authorize, meetingPolicy } from "../../policies";
import { attendancePdf, attendanceXlsx } from "../../reports/attendanceReport";
import { defineRoute, idParamsSchema, pageOf, paginationQuerySchema } from "../route";
import { exportQuerySchema, fileSchema, meetingRecordSchema, meetingSummarySchema } from "./schema";

const iso = (date: Date | null) => date?.toISOString() ?? null;

async function meetingRecord(db: Db, id: string) {
  const meeting = await db.meeting.findUnique({ where: { id }, include: { attendances: true, chat: { orderBy: { at: "asc" } } } });
  if (!meeting) throw new AppError("NOT_FOUND", { detail: "meeting not found" });
  const attendance = summariseAttendance(meeting.attendances);
  return {
    id: meeting.id,
    roomId: meeting.roomId,
    title: meeting.title,
    status: meeting.status,
    startedAt: iso(meeting.startedAt),
    endedAt: iso(meeting.endedAt),
    sites: attendance.length,
    attendance,
    chat: meeting.chat.map((message) => ({ id: message.id, peerId: message.peerId, displayName: message.displayName, text: message.text, at: message.at.toISOString() })),
  };
}

/** The record of each briefing: who attended from which site and for how long, and its chat. */
export function meetingRoutes(deps: { db: Db }) {
  const { db } = deps;
  return [
    defineRoute({
      id: "meetings.list",
      method: "get",
      path: "/meetings",
      summary: "Meetings, newest first, with how many sites attended",
      auth: "user",
      query: paginationQuerySchema,
      response: pageOf(meetingSummarySchema),
      handler: async ({ actor, query }) => {
        authorize(meetingPolicy.list(actor));
        const [total, meetings] = await db.$transaction([
          db.meeting.count(),
          db.meeting.findMany({
            orderBy: [{ startedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
            skip: (query.page - 1) * query.pageSize,
            take: query.pageSize,
            include: { attendances: { select: { displayName: true, unitId: true } } },
          }),
        ]);
        return {
          items: meetings.map((meeting) => ({
            id: meeting.id,
            roomId: meeting.roomId,
            title: meeting.title,
            status: meeting.status,
            startedAt: iso(meeting.startedAt),
            endedAt: iso(meeting.endedAt),
            sites: new Set(meeting.attendances.map((row) => `${row.unitId}|${row.displayName}`)).size,
          })),
          page: query.page,
          pageSize: query.pageSize,
          total,
        };
      },
    }),
    defineRoute({
      id: "meetings.read",
      method: "get",
      path: "/meetings/:id",
      summary: "One meeting's record: attendance per site (join/leave, minutes present, disconnections) and chat",
      auth: "user",
      params: idParamsSchema,
      response: meetingRecordSchema,
      handler: async ({ actor, params }) => {
        authorize(meetingPolicy.readRecord(actor));
        return meetingRecord(db, params.id);
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
      handler: async ({ actor, params, query, res }) => {
        authorize(meetingPolicy.readRecord(actor));
        const record = await meetingRecord(db, params.id);
        const report = { title: record.title, roomId: record.roomId, startedAt: record.startedAt, endedAt: record.endedAt, sites: record.attendance };
        const file = query.format === "xlsx" ? await attendanceXlsx(report) : await attendancePdf(report);
        res.type(query.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/pdf");
        res.attachment(`diem-danh-${record.roomId}.${query.format}`).send(file);
        return "";
      },
    }),
  ];
}

