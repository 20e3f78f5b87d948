import { sendDownload } from "../download";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { authorize, meetingPolicy } from "../../policies";
import { attendancePdf, attendanceXlsx } from "../../reports/attendanceReport";
import { defineRoute, idParamsSchema, pageOf, paginationQuerySchema } from "../route";
import { z } from "zod";
import { recordAudit } from "../../audit";
import path from "node:path";
import type { RecordingService } from "../../services/recordings/RecordingService";
import { MeetingRecords } from "../../services/meetings/meetingRecords";
import {
  exportQuerySchema,
  fileSchema,
  meetingRecordSchema,
  meetingSummarySchema,
  recordingParamsSchema,
  scheduleMeetingRequestSchema,
  upcomingMeetingSchema,
} from "./schema";

const iso = (date: Date | null) => date?.toISOString() ?? null;

function presentUpcoming(
  meeting: { id: string; roomId: string; title: string; agenda: string | null; status: string; scheduledStart: Date | null; scheduledEnd: Date | null; chairUserId: string | null; sites: string[] },
  actorId: string,
) {
  return {
    id: meeting.id,
    roomId: meeting.roomId,
    title: meeting.title,
    agenda: meeting.agenda,
    status: meeting.status,
    start: iso(meeting.scheduledStart),
    end: iso(meeting.scheduledEnd),
    invitedUnits: meeting.sites.length,
    isChair: meeting.chairUserId === actorId,
  };
}

/** The record of each briefing: who attended from which site and for how long, and its chat. */
export function meetingRoutes(deps: { db: Db; recordings: RecordingService; dataDir: string }) {
  const { db } = deps;
  // Who reads which record, and whether a reception's citizen is shown, is the meeting policy's; this asks it.
  const records = new MeetingRecords(db, deps.recordings);
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
      handler: async ({ actor, body, meta }) => {
        authorize(meetingPolicy.schedule(actor));
        if (await db.meeting.findUnique({ where: { roomId: body.roomId } })) throw new AppError("CONFLICT", { detail: `room ${body.roomId} is taken` });
        const units = await db.unit.count({ where: { id: { in: body.unitIds }, active: true } });
        if (units !== new Set(body.unitIds).size) throw new AppError("NOT_FOUND", { detail: "an invited unit does not exist or is inactive" });
        const meeting = await db.meeting.create({
          data: {
            roomId: body.roomId,
            title: body.title,
            agenda: body.agenda ?? null,
            scheduledStart: new Date(body.start),
            scheduledEnd: new Date(body.end),
            hostUnitId: actor.unitId,
            chairUserId: meetingPolicy.chairsWhatTheySchedule(actor) ? actor.id : null,
            sites: { create: [...new Set(body.unitIds)].map((unitId) => ({ unitId })) },
          },
        });
        await recordAudit(db, { actorId: actor.id, action: "meeting.schedule", subjectType: "meeting", subjectId: meeting.id, detail: { roomId: body.roomId, invited: body.unitIds.length }, ip: meta.ip });
        return presentUpcoming({ ...meeting, sites: body.unitIds }, actor.id);
      },
    }),
    defineRoute({
      id: "meetings.upcoming",
      method: "get",
      path: "/meetings/upcoming",
      summary: "Today's and upcoming meetings the caller may join (chair, host unit, or an invited unit above or at theirs)",
      auth: "user",
      response: z.object({ items: z.array(upcomingMeetingSchema) }),
      handler: async ({ actor }) => {
        authorize(meetingPolicy.listUpcoming(actor));
        const ancestors = actor.unitPath.split("/").filter(Boolean);
        const startOfToday = new Date(Date.now() - ((Date.now() + 7 * 3_600_000) % 86_400_000));
        const meetings = await db.meeting.findMany({
          where: {
            status: { not: "ended" },
            scheduledEnd: { gte: startOfToday },
            OR: [{ chairUserId: actor.id }, { hostUnitId: actor.unitId }, { sites: { some: { unitId: { in: ancestors } } } }],
          },
          orderBy: { scheduledStart: "asc" },
          take: 50,
          include: { sites: { select: { unitId: true } } },
        });
        // Receptions the caller's unit is invited to (the local reception office, an agency, an observer).
        const receptions = await db.receptionSession.findMany({
          where: { status: { not: "ended" }, units: { some: { unitId: { in: ancestors } } } },
          include: { unit: { select: { name: true } }, units: { select: { unitId: true } } },
          orderBy: { createdAt: "asc" },
          take: 20,
        });
        return {
          items: [
            ...meetings.map((meeting) => presentUpcoming({ ...meeting, sites: meeting.sites.map((site) => site.unitId) }, actor.id)),
            ...receptions.map((reception) =>
              presentUpcoming(
                {
                  id: reception.id,
                  roomId: reception.roomId,
                  title: `Tiếp công dân — ${reception.unit.name}`,
                  agenda: null,
                  status: reception.status === "live" ? "live" : "scheduled",
                  scheduledStart: reception.startedAt ?? reception.createdAt,
                  scheduledEnd: null,
                  chairUserId: reception.hostUserId,
                  sites: reception.units.map((place) => place.unitId),
                },
                actor.id,
              ),
            ),
          ],
        };
      },
    }),
    defineRoute({
      id: "meetings.list",
      method: "get",
      path: "/meetings",
      summary: "Meetings, newest first, with how many sites attended",
      auth: "user",
      query: paginationQuerySchema,
      response: pageOf(meetingSummarySchema),
      handler: async ({ actor, query }) => {
        return records.list(actor, query.page, query.pageSize);
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
      handler: async ({ actor, params, meta }) => records.record(actor, params.id, meta),
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
        return sendDownload(res, path.join(deps.dataDir, row.file), {
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
        res.type(query.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/pdf");
        res.attachment(`diem-danh-${report.roomId}.${query.format}`).send(file);
        return "";
      },
    }),
  ];
}

