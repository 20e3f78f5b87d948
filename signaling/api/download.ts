import type { Response } from "express";

/**
 * Streams a stored file as a named download that no cache keeps (case files, citizens' attachments,
 * recordings are personal data). The name is sent UTF-8 encoded, so Vietnamese file names survive.
 */
export async function sendDownload(res: Response, file: string, options: { contentType: string; fileName: string; headers?: Record<string, string> }): Promise<""> {
  res.setHeader("Content-Type", options.contentType);
  res.setHeader("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(options.fileName)}`);
  res.setHeader("Cache-Control", "private, no-store");
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  await new Promise<void>((resolve, reject) => res.sendFile(file, (error) => (error ? reject(error) : resolve())));
  return "";
}
