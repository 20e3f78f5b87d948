import { z } from "zod";

export {
  carriedOverSchema,
  directiveMatrixSchema,
  directiveTaskDetailSchema,
  directiveTaskSchema,
  matrixQuerySchema,
  meetingMinutesSchema,
  minutesUpdateSchema,
  taskAttachmentSchema,
  taskReportRequestSchema,
  tasksQuerySchema,
} from "../../protocol";

export const taskFileParamsSchema = z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }).strict();
export const uploadQuerySchema = z.object({ name: z.string().trim().min(1).max(200) });
export const fileSchema = z.string().describe("the file's bytes (PDF)");
