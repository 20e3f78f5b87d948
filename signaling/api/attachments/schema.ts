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
export const attachmentParamsSchema = z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }).strict();
export const fileSchema = z.string().describe("the file's bytes");
