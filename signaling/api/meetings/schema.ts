import { z } from "zod";
import { chatMessageSchema } from "../../protocol";

export const meetingSummarySchema = z.object({
  id: z.string(),
  roomId: z.string(),
  title: z.string(),
  status: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  sites: z.number().int(),
});

export const siteAttendanceSchema = z.object({
  site: z.string(),
  unitId: z.string().nullable(),
  firstJoined: z.string(),
  lastLeft: z.string().nullable(),
  stays: z.number().int(),
  minutesPresent: z.number().int(),
  disconnections: z.number().int(),
});

export const meetingRecordSchema = meetingSummarySchema.extend({
  attendance: z.array(siteAttendanceSchema),
  chat: z.array(chatMessageSchema),
});

export const exportQuerySchema = z.object({ format: z.enum(["xlsx", "pdf"]) });
export const fileSchema = z.string().describe("binary file (XLSX or PDF)");
