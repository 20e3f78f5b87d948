import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import { cleanFileName, type FileKind, FileSniffer, sniffFile } from "../../domain/files/sniff";
import { AppError } from "../../errors";
import { type Actor, authorize, casePolicy, identityProtected } from "../../policies";

export interface AttachmentDto {
  id: string;
  originalName: string;
  mimeType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** Where a stored file of this content lives under the data directory. */
export const storedFilePath = (dataDir: string, sha256: string): string => path.join(dataDir, "attachments", sha256.slice(0, 2), sha256);

/**
 * Checks a file on its content and keeps it once per content under data/attachments/<sha256>; returns
 * what it is. Shared by case files and the files citizens send with a reception booking. The file is
 * durable before this returns, so the row that names it is written after it: a crash in between leaves
 * at worst a file without a row, which `sweepFileStore` removes at the next start.
 */
export function storeFileByContent(dataDir: string, data: Buffer): { sha256: string; kind: FileKind } {
  const kind = sniffFile(data);
  if (!kind) throw new AppError("UNSUPPORTED_FILE");
  const sha256 = createHash("sha256").update(data).digest("hex");
  const file = storedFilePath(dataDir, sha256);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write, fsync, rename, fsync the directory: a crash or power cut never leaves a half file under
    // its final (hash) name, and the name itself is on disk before the row pointing at it is committed.
    const temporary = `${file}.${process.pid}${TEMPORARY_SUFFIX}`;
    const fd = fs.openSync(temporary, "w", 0o640);
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    fsyncDirectory(path.dirname(file));
  }
  return { sha256, kind };
}

/**
 * An upload's body, not yet read: the route framework hands it over unread so the handler can check who
 * is asking (and for what) first, and only then let the bytes in.
 */
export interface IncomingFile {
  stream: Readable;
  /** Content-Length, when the client declared one. */
  declaredBytes: number | null;
  /** The configured per-file limit. */
  limitBytes: number;
}

/**
 * Storage granted to one upload by a quota, reserved before its body is read (see ByteQuota);
 * `settle` is told what was stored (0 when nothing was) and gives back the rest.
 */
export interface UploadAllowance {
  settle(storedBytes: number): Promise<void>;
}

/** The most an upload may bring: its declared length, and never more than the file limit. */
export const expectedBytes = (file: IncomingFile): number => Math.min(file.declaredBytes ?? file.limitBytes, file.limitBytes);

/**
 * `storeFileByContent` for a body still on the wire: streamed to a temporary file (never whole in
 * memory), hashed and judged on content as it passes, refused as soon as it goes past `limitBytes`, then
 * fsynced and renamed under its hash. Whatever goes wrong, the temporary file is removed; one left by a
 * crash is removed by `sweepFileStore` (it ends in .tmp).
 */
export async function receiveFileByContent(dataDir: string, file: IncomingFile): Promise<{ sha256: string; kind: FileKind; size: number }> {
  const { limitBytes } = file;
  if (file.declaredBytes !== null && file.declaredBytes > limitBytes) throw new AppError("PAYLOAD_TOO_LARGE", { detail: `declared ${file.declaredBytes} bytes, limit ${limitBytes}` });
  const incoming = path.join(dataDir, "attachments", INCOMING_DIRECTORY);
  await fs.promises.mkdir(incoming, { recursive: true });
  const temporary = path.join(incoming, `${randomUUID()}${TEMPORARY_SUFFIX}`);
  const hash = createHash("sha256");
  const sniffer = new FileSniffer();
  let size = 0;
  try {
    const handle = await fs.promises.open(temporary, "wx", 0o640);
    try {
      const chunks = (file.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      for (;;) {
        const next = await chunks.next().catch((cause: unknown) => {
          // The client went away mid-upload: its doing, not a server fault worth an error in the log.
          throw new AppError("VALIDATION_FAILED", { detail: "the upload was cut off before its end", cause });
        });
        if (next.done) break;
        const chunk = next.value;
        size += chunk.length;
        if (size > limitBytes) throw new AppError("PAYLOAD_TOO_LARGE", { detail: `more than ${limitBytes} bytes` });
        hash.update(chunk);
        sniffer.push(chunk);
        await handle.write(chunk);
      }
      if (size === 0) throw new AppError("VALIDATION_FAILED", { detail: "empty file" });
      await handle.sync();
    } finally {
      await handle.close();
    }
    const kind = sniffer.kind();
    if (!kind) throw new AppError("UNSUPPORTED_FILE");
    const sha256 = hash.digest("hex");
    const stored = storedFilePath(dataDir, sha256);
    if (fs.existsSync(stored)) {
      await fs.promises.rm(temporary, { force: true });
    } else {
      await fs.promises.mkdir(path.dirname(stored), { recursive: true });
      await fs.promises.rename(temporary, stored);
      fsyncDirectory(path.dirname(stored));
    }
    return { sha256, kind, size };
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

/** Uploads being received, beside the shards so the final rename stays on one file system. */
const INCOMING_DIRECTORY = "incoming";

const TEMPORARY_SUFFIX = ".tmp";

function fsyncDirectory(directory: string): void {
  const fd = fs.openSync(directory, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface FileStoreSweep {
  /** Files removed: stored content no row names (a crash between file and row), and unfinished temporaries. */
  removedOrphans: string[];
  /** Rows whose file is missing (restored from an old backup, deleted by hand): reported, never deleted. */
  rowsWithoutFile: { table: "attachment" | "bookingAttachment" | "directiveAttachment"; id: string; sha256: string }[];
}

/**
 * Reconciles the file store with the database at start-up, before any request can be storing a file:
 * files are written before their rows, so a file without a row is the remains of an interrupted upload.
 */
export async function sweepFileStore(db: Db, dataDir: string): Promise<FileStoreSweep> {
  const root = path.join(dataDir, "attachments");
  const [caseFiles, bookingFiles, directiveFiles] = await Promise.all([
    db.attachment.findMany({ select: { id: true, sha256: true } }),
    db.bookingAttachment.findMany({ select: { id: true, sha256: true } }),
    db.directiveAttachment.findMany({ select: { id: true, sha256: true } }),
  ]);
  const named = new Set([...caseFiles, ...bookingFiles, ...directiveFiles].map((row) => row.sha256));
  const removedOrphans: string[] = [];
  const present = new Set<string>();
  const shards = fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()) : [];
  for (const shard of shards) {
    const directory = path.join(root, shard.name);
    for (const name of fs.readdirSync(directory)) {
      if (!name.endsWith(TEMPORARY_SUFFIX) && named.has(name)) {
        present.add(name);
        continue;
      }
      fs.rmSync(path.join(directory, name), { force: true });
      removedOrphans.push(path.join(shard.name, name));
    }
  }
  const rowsWithoutFile = [
    ...caseFiles.filter((row) => !present.has(row.sha256)).map((row) => ({ table: "attachment" as const, ...row })),
    ...bookingFiles.filter((row) => !present.has(row.sha256)).map((row) => ({ table: "bookingAttachment" as const, ...row })),
    ...directiveFiles.filter((row) => !present.has(row.sha256)).map((row) => ({ table: "directiveAttachment" as const, ...row })),
  ];
  return { removedOrphans, rowsWithoutFile };
}

/**
 * Case files, stored by content hash under the data directory. Who may upload or read a case's files
 * follows the case; a denunciation's files can reveal the denouncer, so they need the identity right and
 * every download of them is audited.
 */
export class AttachmentStore {
  constructor(private readonly db: Db, private readonly dataDir: string) {}

  /** Who may add to this case is checked before a byte of the file is read. */
  async upload(actor: Actor, caseId: string, name: string, file: IncomingFile, meta: { ip: string }): Promise<AttachmentDto> {
    const item = await this.#case(caseId);
    authorize(casePolicy.act(actor, item));
    const { sha256, kind, size } = await receiveFileByContent(this.dataDir, file);
    // The audit row is evidence of who filed the file: committed with the file's row or not at all.
    const row = await this.db.$transaction(async (tx) => {
      const created = await tx.attachment.create({
        data: { caseId, sha256, size, mimeType: kind.mimeType, originalName: cleanFileName(name, kind), uploadedById: actor.id },
      });
      await recordAudit(tx, { actorId: actor.id, action: "attachment.upload", subjectType: "case", subjectId: caseId, detail: { attachmentId: created.id, sha256 }, ip: meta.ip });
      return created;
    });
    return present(row);
  }

  async list(actor: Actor, caseId: string, meta: { ip: string }): Promise<AttachmentDto[]> {
    const item = await this.#case(caseId);
    authorize(casePolicy.read(actor, item));
    if (!casePolicy.readProtectedIdentity(actor, item)) return [];
    const rows = await this.db.attachment.findMany({ where: { caseId }, orderBy: { createdAt: "asc" } });
    // A denouncer's files are withheld from everyone else because they (and their names) reveal them: listing them is a read of the identity.
    if (identityProtected(item) && rows.length > 0) {
      await recordAudit(this.db, { actorId: actor.id, action: "attachment.list", subjectType: "case", subjectId: caseId, detail: { count: rows.length }, ip: meta.ip });
    }
    return rows.map(present);
  }

  async open(actor: Actor, caseId: string, attachmentId: string, meta: { ip: string }): Promise<{ row: AttachmentDto; file: string }> {
    const item = await this.#case(caseId);
    authorize(casePolicy.read(actor, item) && casePolicy.readProtectedIdentity(actor, item));
    const row = await this.db.attachment.findFirst({ where: { id: attachmentId, caseId } });
    if (!row) throw new AppError("NOT_FOUND");
    const file = this.#pathOf(row.sha256);
    if (!fs.existsSync(file)) throw new AppError("NOT_FOUND", { detail: "file missing from storage" });
    if (identityProtected(item)) {
      await recordAudit(this.db, { actorId: actor.id, action: "attachment.read", subjectType: "case", subjectId: caseId, detail: { attachmentId }, ip: meta.ip });
    }
    return { row: present(row), file };
  }

  #pathOf(sha256: string): string {
    return storedFilePath(this.dataDir, sha256);
  }

  async #case(caseId: string) {
    const item = await this.db.case.findUnique({ where: { id: caseId }, include: { unit: true } });
    if (!item) throw new AppError("NOT_FOUND", { detail: "case not found" });
    return item;
  }
}

function present(row: { id: string; originalName: string; mimeType: string; size: number; sha256: string; createdAt: Date }): AttachmentDto {
  return { id: row.id, originalName: row.originalName, mimeType: row.mimeType, size: row.size, sha256: row.sha256, createdAt: row.createdAt.toISOString() };
}
