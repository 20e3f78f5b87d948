import type { Db } from "../../db/client";
import { briefingInvitationMail, type InvitationChange } from "../../domain/mail/templates";
import { enqueueMail } from "./MailQueue";
import type { MailSettingsService } from "./MailSettingsService";

/** What the invitations read and write: inside the meeting's own transaction. */
export type InvitationDb = Pick<Db, "user" | "unit" | "mailSettings" | "mailMessage">;

export interface InvitedMeeting {
  id: string;
  roomId: string;
  title: string;
  agenda: string | null;
  scheduledStart: Date | null;
  scheduledEnd: Date | null;
  hostUnitId: string | null;
  inviteSequence: number;
}

/** Where mails point: the server's public address (PUBLIC_URL, else the address it listens on). */
export interface MailLinks {
  base: () => string;
}

export const roomLink = (links: MailLinks, roomId: string) => `${links.base().replace(/\/$/, "")}/#/room?${new URLSearchParams({ room: roomId }).toString()}`;
export const caseLink = (links: MailLinks, caseId: string) => `${links.base().replace(/\/$/, "")}/#/cases/${caseId}`;

/**
 * Invitations to a scheduled briefing, mailed to the active accounts with an address in each invited unit
 * (the unit itself: inviting the province must not mail every commune's staff), one message each with
 * the ICS. Written in the meeting's transaction; nothing when mail is off.
 */
export class BriefingInvitations {
  constructor(private readonly settings: MailSettingsService, private readonly links: MailLinks) {}

  /** Queues `change` for the accounts of `unitIds`; returns how many messages. */
  async enqueue(tx: InvitationDb, meeting: InvitedMeeting, change: InvitationChange, unitIds: readonly string[], now: Date = new Date()): Promise<number> {
    if (unitIds.length === 0 || !meeting.scheduledStart || !meeting.scheduledEnd) return 0;
    if (!(await this.settings.enabled(tx))) return 0;
    const organizer = await this.settings.sender(tx);
    if (!organizer) return 0;
    const users = await tx.user.findMany({ where: { unitId: { in: [...unitIds] }, active: true, email: { not: null } }, select: { id: true, displayName: true, email: true }, orderBy: { username: "asc" } });
    const host = meeting.hostUnitId ? await tx.unit.findUnique({ where: { id: meeting.hostUnitId }, select: { name: true } }) : null;
    const link = roomLink(this.links, meeting.roomId);
    const seen = new Set<string>();
    let queued = 0;
    for (const user of users) {
      const email = user.email!;
      if (seen.has(email.toLowerCase())) continue;
      seen.add(email.toLowerCase());
      const recipient = { name: user.displayName, email };
      const content = briefingInvitationMail({
        meeting: { id: meeting.id, title: meeting.title, agenda: meeting.agenda, start: meeting.scheduledStart, end: meeting.scheduledEnd, hostUnitName: host?.name, link },
        change,
        sequence: meeting.inviteSequence,
        stamp: now,
        uidDomain: uidDomainOf(this.links.base()),
        organizer,
        recipient,
      });
      await enqueueMail(tx, { kind: change === "cancelled" ? "meetingCancel" : "meetingInvitation", to: { ...recipient, userId: user.id }, content });
      queued++;
    }
    return queued;
  }
}

/** The host of the public address, so UIDs are globally unique (RFC 5545 §3.8.4.7). */
function uidDomainOf(base: string): string {
  try {
    return new URL(base).hostname || "cau-noi.local";
  } catch {
    return "cau-noi.local";
  }
}
