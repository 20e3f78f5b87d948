import type { Response } from "express";
import { SIGNATURE_HEADER, type SignatureOutcome } from "../protocol";
import { vietnamDayOf } from "../domain/vietnamTime";

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

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Sends a generated document (an export) as a named download that no cache keeps; an issued PDF also
 * says whether it carries the unit's signature (X-Document-Signature), so the page can tell the user.
 */
export function sendGenerated(res: Response, data: Buffer, options: { contentType: string; fileName: string; signature?: SignatureOutcome | undefined }): "" {
  res.status(200).type(options.contentType).attachment(options.fileName).setHeader("Cache-Control", "private, no-store");
  if (options.signature) res.setHeader(SIGNATURE_HEADER, options.signature);
  res.send(data);
  return "";
}

/** "don-thu-20261207.xlsx": the list's name and the day (in Vietnam) it was exported. */
export const exportFileName = (list: string, now: Date = new Date()): string =>
  `${list}-${vietnamDayOf(now).replaceAll("-", "")}.xlsx`;
