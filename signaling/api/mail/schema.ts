import { z } from "zod";
import { mailMessageSchema } from "../../protocol";

export { listMailQuerySchema, mailMessageSchema, mailSettingsSchema, testMailRequestSchema, testMailResultSchema, updateMailSettingsRequestSchema } from "../../protocol";

export const mailListSchema = z.object({
  items: z.array(mailMessageSchema),
  counts: z.object({ queued: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
});
