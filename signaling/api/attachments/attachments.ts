import { sendDownload } from "../download";
import { z } from "zod";
import type { AttachmentStore } from "../../services/attachments/attachments";
import { defineRoute, idParamsSchema, incomingFileSchema } from "../route";
import { attachmentParamsSchema, attachmentSchema, fileSchema, uploadQuerySchema } from "./schema";

export function attachmentRoutes({ attachments, maxBytes }: { attachments: AttachmentStore; maxBytes: number }) {
  return [
    defineRoute({
      id: "attachments.upload",
      method: "post",
      path: "/cases/:id/attachments",
      summary: "Attach a file (PDF, JPEG, PNG, Word, Excel; checked on content) to a case; body = the file",
      auth: "user",
      params: idParamsSchema,
      query: uploadQuerySchema,
      body: incomingFileSchema,
      rawBody: { limitBytes: maxBytes },
      response: attachmentSchema,
      status: 201,
      handler: ({ actor, params, query, body, meta }) => attachments.upload(actor, params.id, query.name, body, meta),
    }),
    defineRoute({
      id: "attachments.list",
      method: "get",
      path: "/cases/:id/attachments",
      summary: "A case's files (empty for readers without the right to a denouncer's identity)",
      auth: "user",
      params: idParamsSchema,
      response: z.object({ items: z.array(attachmentSchema) }),
      handler: async ({ actor, params, meta }) => ({ items: await attachments.list(actor, params.id, meta) }),
    }),
    defineRoute({
      id: "attachments.download",
      method: "get",
      path: "/cases/:id/attachments/:attachmentId",
      summary: "Download one file",
      auth: "user",
      params: attachmentParamsSchema,
      response: fileSchema,
      handler: async ({ actor, params, meta, res }) => {
        const { row, file } = await attachments.open(actor, params.id, params.attachmentId, meta);
        return sendDownload(res, file, { contentType: row.mimeType, fileName: row.originalName });
      },
    }),
  ];
}
