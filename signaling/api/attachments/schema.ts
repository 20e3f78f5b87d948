import { z } from "zod";

export const attachmentSchema = z.object({
  id: z.string(),
  originalName: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export const uploadQuerySchema = z.object({ name: z.string().trim().min(1).max(200) });
/** The file itself, sent as the request body (any Content-Type; the content decides what it is). */
export const uploadBodySchema = z.instanceof(Buffer).refine((data) => data.length > 0, "empty file");
export const attachmentParamsSchema = z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }).strict();
export const fileSchema = z.string().describe("the file's bytes");
