import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { recordAudit } from "../../audit";
import type { Db } from "../../db/client";
import type { Booking, ReceptionSlot } from "../../db/generated/client";
import { newLookupSecret } from "../../domain/cases/caseCode";
import { vietnamDateOf } from "../../domain/deadlines";
import { cleanFileName, type FileKind } from "../../domain/files/sniff";
import { bookingCodePrefix, clientNetwork, joinWindow } from "../../domain/reception";
import { AppError } from "../../errors";
import { type Actor, authorize, receptionPolicy } from "../../policies";
import { presentBooking } from "../../presenters/reception";
import type { bookingRequestSchema, BookingReceipt, BookingStatus, PublicSlotDto } from "../../protocol";
import { type IncomingFile, receiveFileByContent, storedFilePath, type UploadAllowance } from "../attachments/attachments";
import type { z } from "zod";
import type { CitizenSecrets } from "../../auth/citizenSecrets";
import type { RequestMeta } from "./shared";

type BookingInput = z.infer<typeof bookingRequestSchema>;

/** How far ahead citizens see slots. */
const PUBLIC_HORIZON_DAYS = 60;
/** Files a citizen may send with one booking. */
const MAX_FILES_PER_BOOKING = 5;
/** The citizen's page that takes the one-time link (built by the live-session part). */
export const JOIN_PAGE_PATH = "/tiep-dan/vao";

/** A booking as handed to the live-session part: never the stored hashes. */
export type BookingForSession = Omit<Booking, "joinTokenHash" | "cancelSecretHash">;
export interface JoinLinkGrant {
  booking: BookingForSession;
  slot: ReceptionSlot;
  /** The receiving unit's name, shown to the citizen on the join page. */
  unitName: string;
}

const withoutSecrets = ({ joinTokenHash: _join, cancelSecretHash: _cancel, ...booking }: Booking): BookingForSession => booking;

/** Prisma's unique-constraint failure (two bookings computed the same number at once). */
const isUniqueViolation = (error: unknown) => typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";

/**
 * Citizens' bookings of reception slots: validated input, capacity kept in the same transaction as the
 * booking, a readable code, a short cancel code and (online slots) a one-time join link, none of the
 * secrets stored in clear; and the staff's view of a slot's bookings with the denouncer rule applied.
 */
export class ReceptionBookings {
  /** How long before its slot a join link opens (RECEPTION_JOIN_OPENS_MINUTES). */

  constructor(private readonly db: Db, private readonly dataDir: string, private readonly secrets: CitizenSecrets, private readonly joinOpensMinutes?: number) {}

  /** Units with bookable slots ahead, for the citizen's first choice. */
  async publicUnits(now: Date = new Date()) {
    const upcoming = await this.db.receptionSlot.groupBy({
      by: ["unitId"],
      where: this.#bookable(now),
      _count: { _all: true },
    });
    const units = await this.db.unit.findMany({ where: { id: { in: upcoming.map((row) => row.unitId) } }, select: { id: true, name: true, path: true }, orderBy: { path: "asc" } });
    const counts = new Map(upcoming.map((row) => [row.unitId, row._count._all]));
    return units.map((unit) => ({ id: unit.id, name: unit.name, upcomingSlots: counts.get(unit.id) ?? 0 }));
  }

  async publicSlots(unitId: string, now: Date = new Date()): Promise<PublicSlotDto[]> {
    const rows = await this.db.receptionSlot.findMany({
      where: { ...this.#bookable(now), unitId },
      include: { schedule: { select: { title: true, kind: true } } },
      orderBy: [{ startsAt: "asc" }, { mode: "asc" }],
      take: 500,
    });
    return rows.map((row) => ({
      id: row.id,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      mode: row.mode as PublicSlotDto["mode"],
      remaining: Math.max(0, row.capacity - row.booked),
      kind: row.schedule.kind as PublicSlotDto["kind"],
      title: row.schedule.title,
    }));
  }

  /**
   * Books a place. The slot's count goes up only while below capacity, in the same transaction as the
   * booking row: of several citizens taking the last place at once exactly one gets it, and a refused
   * booking leaves nothing behind.
   */
  async book(input: BookingInput, meta: RequestMeta, now: Date = new Date()): Promise<BookingReceipt> {
    const slot = await this.db.receptionSlot.findUnique({ where: { id: input.slotId }, include: { schedule: true, unit: true } });
    if (!slot || !slot.unit.active) throw new AppError("NOT_FOUND", { detail: "slot not found" });
    if (!slot.schedule.active || slot.startsAt.getTime() <= now.getTime()) throw new AppError("SLOT_CLOSED");
    const cancelSecret = newLookupSecret();
    const joinToken = slot.mode === "online" ? randomBytes(24).toString("base64url") : null;
    const prefix = bookingCodePrefix(slot.unit.code, vietnamDateOf(slot.startsAt));
    for (let attempt = 1; ; attempt++) {
      try {
        const booking = await this.db.$transaction(async (tx) => {
          const taken = await tx.receptionSlot.updateMany({
            where: { id: slot.id, booked: { lt: tx.receptionSlot.fields.capacity } },
            data: { booked: { increment: 1 } },
          });
          if (taken.count === 0) throw new AppError("SLOT_FULL");
          // Bookings are never deleted, so the count of this unit-day's codes only grows.
          const sequence = (await tx.booking.count({ where: { unitId: slot.unitId, code: { startsWith: prefix } } })) + 1;
          return tx.booking.create({
            data: {
              code: `${prefix}${sequence}`,
              slotId: slot.id,
              unitId: slot.unitId,
              fullName: input.fullName,
              cccd: input.cccd,
              phone: input.phone,
              address: input.address,
              petitionKind: input.petitionKind,
              content: input.content,
              joinTokenHash: joinToken ? this.secrets.digest(joinToken) : null,
              cancelSecretHash: this.secrets.digest(cancelSecret),
              createdIp: clientNetwork(meta.ip),
            },
          });
        });
        await recordAudit(this.db, { actorId: null, action: "reception.booking.create", subjectType: "booking", subjectId: booking.id, detail: { code: booking.code, slotId: slot.id } });
        return {
          bookingId: booking.id,
          code: booking.code,
          cancelSecret,
          joinToken,
          // The token rides in the fragment: browsers never send it, so no server or proxy log holds it.
          joinPath: joinToken ? `${JOIN_PAGE_PATH}?b=${encodeURIComponent(booking.id)}#t=${encodeURIComponent(joinToken)}` : null,
          slot: { startsAt: slot.startsAt.toISOString(), endsAt: slot.endsAt.toISOString(), mode: slot.mode as BookingReceipt["slot"]["mode"], unitName: slot.unit.name, title: slot.schedule.title },
        };
      } catch (error) {
        // Only a database allowing concurrent writers (PostgreSQL) can collide on the number; try the next.
        if (isUniqueViolation(error) && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** The citizen cancels with the code and cancel code from the receipt, until the slot starts. */
  async cancel(code: string, secret: string, now: Date = new Date()) {
    const booking = await this.db.booking.findUnique({ where: { code }, include: { slot: true } });
    if (!booking || !this.secrets.matches(booking.cancelSecretHash, secret)) throw new AppError("NOT_FOUND", { detail: "no booking with this code and cancel code" });
    if (booking.status !== "booked" || booking.slot.startsAt.getTime() <= now.getTime()) throw new AppError("BOOKING_NOT_CANCELLABLE");
    await this.db.$transaction(async (tx) => {
      const { count } = await tx.booking.updateMany({ where: { id: booking.id, status: "booked" }, data: { status: "cancelled", cancelledAt: now } });
      if (count === 0) throw new AppError("BOOKING_NOT_CANCELLABLE");
      await tx.receptionSlot.update({ where: { id: booking.slotId }, data: { booked: { decrement: 1 } } });
    });
    await recordAudit(this.db, { actorId: null, action: "reception.booking.cancel", subjectType: "booking", subjectId: booking.id, detail: { code } });
    return { code: booking.code, status: "cancelled" as const };
  }

  /**
   * A file the citizen sends with their booking (checked on content), with the cancel code as proof.
   * Everything that can refuse it (the code, the booking's state, its file count, the daily storage
   * allowance from `allow`) is checked before a byte of the body is read.
   */
  async addAttachment(bookingId: string, secret: string, name: string, file: IncomingFile, allow: (unitId: string) => Promise<UploadAllowance>) {
    const booking = await this.db.booking.findUnique({ where: { id: bookingId }, include: { _count: { select: { attachments: true } } } });
    if (!booking || !this.secrets.matches(booking.cancelSecretHash, secret)) throw new AppError("NOT_FOUND", { detail: "no booking with this id and cancel code" });
    if (booking.status !== "booked") throw new AppError("BOOKING_NOT_CANCELLABLE", { detail: "files are taken only before the reception" });
    if (booking._count.attachments >= MAX_FILES_PER_BOOKING) throw new AppError("PAYLOAD_TOO_LARGE", { detail: `at most ${MAX_FILES_PER_BOOKING} files per booking` });
    const allowance = await allow(booking.unitId);
    let stored: { sha256: string; kind: FileKind; size: number };
    try {
      stored = await receiveFileByContent(this.dataDir, file);
    } catch (error) {
      await allowance.settle(0);
      throw error;
    }
    await allowance.settle(stored.size);
    const { sha256, kind, size } = stored;
    const row = await this.db.bookingAttachment.create({ data: { bookingId, sha256, size, mimeType: kind.mimeType, originalName: cleanFileName(name, kind) } });
    return { id: row.id, originalName: row.originalName, mimeType: row.mimeType, size: row.size, createdAt: row.createdAt.toISOString() };
  }

  /** Staff open a booking's file; a denunciation's files need the identity right, and the read is audited. */
  async openAttachment(actor: Actor, bookingId: string, attachmentId: string, meta: RequestMeta) {
    const booking = await this.db.booking.findUnique({ where: { id: bookingId }, include: { unit: true, session: { select: { hostUserId: true } } } });
    if (!booking) throw new AppError("NOT_FOUND");
    authorize(receptionPolicy.readBookings(actor, booking.unit) && receptionPolicy.readBookingIdentity(actor, { ...booking, handlerUserId: booking.session?.hostUserId ?? null }));
    const row = await this.db.bookingAttachment.findFirst({ where: { id: attachmentId, bookingId } });
    if (!row) throw new AppError("NOT_FOUND");
    const file = storedFilePath(this.dataDir, row.sha256);
    if (!fs.existsSync(file)) throw new AppError("NOT_FOUND", { detail: "file missing from storage" });
    await recordAudit(this.db, { actorId: actor.id, action: "reception.booking.file.read", subjectType: "booking", subjectId: bookingId, detail: { attachmentId }, ip: meta.ip });
    return { row, file };
  }

  /** The bookings of one slot for reception staff; each read of a denouncer's identity is audited. */
  async listForSlot(actor: Actor, slotId: string, meta: RequestMeta) {
    const slot = await this.db.receptionSlot.findUnique({ where: { id: slotId }, include: { unit: true } });
    if (!slot) throw new AppError("NOT_FOUND", { detail: "slot not found" });
    authorize(receptionPolicy.readBookings(actor, slot.unit));
    const rows = await this.db.booking.findMany({
      where: { slotId },
      include: { attachments: { orderBy: { createdAt: "asc" } }, session: { select: { hostUserId: true } } },
      orderBy: { createdAt: "asc" },
    });
    const items = [];
    for (const row of rows) {
      const mayRead = receptionPolicy.readBookingIdentity(actor, { unit: slot.unit, petitionKind: row.petitionKind, handlerUserId: row.session?.hostUserId ?? null });
      if (mayRead && row.petitionKind === "denunciation") {
        await recordAudit(this.db, { actorId: actor.id, action: "reception.identity.read", subjectType: "booking", subjectId: row.id, ip: meta.ip });
      }
      items.push(presentBooking(row, mayRead));
    }
    return items;
  }

  /**
   * Spends a one-time join link: valid only for a booked online slot, from shortly before its start until
   * its end, once. The link is marked used by a conditional update, so two devices presenting it at the
   * same moment cannot both get in.
   */
  async consumeJoinLink(bookingId: string, token: string, now: Date): Promise<JoinLinkGrant> {
    const booking = await this.db.booking.findUnique({ where: { id: bookingId }, include: { slot: true } });
    if (!booking || !this.secrets.matches(booking.joinTokenHash, token)) throw new AppError("JOIN_LINK_INVALID");
    if (booking.status === "cancelled") throw new AppError("BOOKING_CANCELLED");
    if (booking.joinTokenUsedAt) throw new AppError("JOIN_LINK_USED");
    const window = joinWindow(booking.slot, now, this.joinOpensMinutes);
    if (window === "over" || booking.status === "expired") {
      await this.db.booking.updateMany({ where: { id: booking.id, status: "booked" }, data: { status: "expired" } });
      throw new AppError("JOIN_LINK_EXPIRED");
    }
    if (booking.status !== "booked") throw new AppError("JOIN_LINK_USED", { detail: `booking is ${booking.status}` });
    if (window === "notYet") throw new AppError("JOIN_LINK_NOT_YET");
    const { count } = await this.db.booking.updateMany({ where: { id: booking.id, joinTokenUsedAt: null, status: "booked" }, data: { joinTokenUsedAt: now } });
    if (count === 0) {
      const latest = await this.db.booking.findUniqueOrThrow({ where: { id: booking.id } });
      throw new AppError(latest.status === "cancelled" ? "BOOKING_CANCELLED" : "JOIN_LINK_USED");
    }
    await recordAudit(this.db, { actorId: null, action: "reception.joinLink.use", subjectType: "booking", subjectId: booking.id });
    const { slot, unit, ...row } = await this.db.booking.findUniqueOrThrow({ where: { id: booking.id }, include: { slot: true, unit: { select: { name: true } } } });
    return { booking: withoutSecrets(row), slot, unitName: unit.name };
  }

  /** Moves a booking on as the session goes: admitted from the waiting room, received, or a no-show. */
  async mark(bookingId: string, status: Extract<BookingStatus, "admitted" | "received" | "no_show">): Promise<BookingForSession> {
    const from: Record<typeof status, BookingStatus[]> = { admitted: ["booked"], received: ["booked", "admitted"], no_show: ["booked", "expired"] };
    const { count } = await this.db.booking.updateMany({ where: { id: bookingId, status: { in: from[status] } }, data: { status } });
    const row = await this.db.booking.findUnique({ where: { id: bookingId } });
    if (!row) throw new AppError("NOT_FOUND", { detail: "booking not found" });
    if (count === 0 && row.status !== status) throw new AppError("CONFLICT", { detail: `booking is ${row.status}` });
    return withoutSecrets(row);
  }

  #bookable(now: Date) {
    return { startsAt: { gt: now, lte: new Date(now.getTime() + PUBLIC_HORIZON_DAYS * 86_400_000) }, schedule: { active: true }, unit: { active: true } };
  }
}
