import { z } from "zod";

/** One row of the meetings list, as the server sends it and the client shows it. */
export const meetingSummarySchema = z.object({
  id: z.string(),
  roomId: z.string(),
  title: z.string(),
  status: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  sites: z.number().int(),
});
export type MeetingSummary = z.infer<typeof meetingSummarySchema>;
