import type { Db } from "../../db/client";
import { summariseAttendance } from "../../domain/attendance";
import { vietnamDateOf } from "../../domain/deadlines";
import { AppError } from "../../errors";
import { type Actor, authorize, directivePolicy, meetingPolicy } from "../../policies";
import type { CarriedOver, MeetingMinutes, SignatureOutcome, SigningMode } from "../../protocol";
import { briefingNoticePdf } from "../../reports/briefingNoticePdf";
import { type DocumentSigner, signIssued } from "../../signing/DocumentSigner";
import { meetingRecordRefs } from "../meetings/recordRefs";
import { type Clock, presentDirective, todayIn, unitNamesOf } from "./shared";
import { formatViTimeDate } from "../../domain/vietnamTime";

interface NoticeFields {
  noticeNumber?: string | undefined;
  place?: string | undefined;
  signerName?: string | undefined;
  signerTitle?: string | undefined;
}

const heldAtText = (at: Date) => formatViTimeDate(at);

/**
 * A briefing's minutes after the meeting: read by those who read its record, the notice's fields set by the
 * issuing side, the conclusion notice as PDF, and the open directives the next briefing opens with.
 */
export class MeetingMinutesService {
  constructor(private readonly db: Db, private readonly clock: Clock = () => new Date(), private readonly signer?: DocumentSigner) {}

  async #readable(actor: Actor, meetingId: string) {
    const meeting = await this.db.meeting.findUnique({ where: { id: meetingId }, include: { sites: { select: { unitId: true } }, attendances: true, minutes: true } });
    if (!meeting) throw new AppError("NOT_FOUND", { detail: "meeting not found" });
    const ref = (await meetingRecordRefs(this.db, [meeting])).get(meeting.roomId)!;
    authorize(meetingPolicy.readRecord(actor, ref));
    // A reception's record holds a citizen and has its own conclusion notice (reception book): no briefing minutes.
    if (ref.kind !== "briefing") throw new AppError("NOT_FOUND", { detail: "a citizen reception has no briefing minutes" });
    return meeting;
  }

  async #issuer(meeting: { hostUnitId: string | null; id: string }) {
    const fromDirective = meeting.hostUnitId ? null : await this.db.directive.findFirst({ where: { meetingId: meeting.id }, select: { issuerUnitId: true } });
    const id = meeting.hostUnitId ?? fromDirective?.issuerUnitId ?? null;
    return id ? this.db.unit.findUnique({ where: { id }, select: { id: true, path: true, name: true } }) : null;
  }

  async read(actor: Actor, meetingId: string): Promise<MeetingMinutes> {
    const meeting = await this.#readable(actor, meetingId);
    const issuer = await this.#issuer(meeting);
    const minutes = meeting.minutes;
    const [conclusions, directives, secretary] = await Promise.all([
      this.db.meetingConclusion.findMany({ where: { meetingId }, orderBy: { seq: "asc" } }),
      this.db.directive.findMany({ where: { meetingId }, orderBy: { seq: "asc" }, include: { tasks: true } }),
      minutes?.secretaryUserId ? this.db.user.findUnique({ where: { id: minutes.secretaryUserId }, select: { displayName: true } }) : null,
    ]);
    const names = await unitNamesOf(this.db, directives.flatMap((row) => row.tasks.map((task) => task.unitId)));
    const today = todayIn(this.clock);
    const mayEdit = issuer !== null && directivePolicy.editNotice(actor, { chairUserId: meeting.chairUserId, secretaryUserId: minutes?.secretaryUserId ?? null, issuerUnit: issuer });
    return {
      meetingId,
      title: meeting.title,
      keeper: mayEdit,
      secretaryUserId: minutes?.secretaryUserId ?? null,
      secretaryName: secretary?.displayName ?? null,
      notes: minutes?.notes ?? "",
      conclusions: conclusions.map((row) => ({ id: row.id, seq: row.seq, text: row.text, createdAt: row.createdAt.toISOString() })),
      directives: directives.map((row) => presentDirective(row, names, today)),
      noticeNumber: minutes?.noticeNumber ?? null,
      place: minutes?.place ?? null,
      signerName: minutes?.signerName ?? null,
      signerTitle: minutes?.signerTitle ?? null,
      mayEdit,
    };
  }

  async updateNotice(actor: Actor, meetingId: string, fields: NoticeFields): Promise<MeetingMinutes> {
    const meeting = await this.#readable(actor, meetingId);
    const issuer = await this.#issuer(meeting);
    if (!issuer) throw new AppError("CONFLICT", { detail: "an ad-hoc room without directives has no issuing unit" });
    authorize(directivePolicy.editNotice(actor, { chairUserId: meeting.chairUserId, secretaryUserId: meeting.minutes?.secretaryUserId ?? null, issuerUnit: issuer }));
    // A field left out stays as it is; one sent empty is cleared (the notice then shows the blank to fill in).
    const clean = (value: string | undefined) => (value === undefined ? undefined : value === "" ? null : value);
    const data = { noticeNumber: clean(fields.noticeNumber), place: clean(fields.place), signerName: clean(fields.signerName), signerTitle: clean(fields.signerTitle) };
    await this.db.meetingMinutes.upsert({ where: { meetingId }, create: { meetingId, ...data, updatedById: actor.id }, update: { ...data, updatedById: actor.id } });
    return this.read(actor, meetingId);
  }

  /**
   * The conclusion notice as PDF (reports/briefingNoticePdf.ts) for whoever reads the record; signed with
   * the issuing unit's certificate when it has a usable one and the reader is one of its signers
   * (`directivePolicy.signNotice`; `mode`: see DocumentSigner), like the reception's notice.
   */
  async noticePdf(actor: Actor, meetingId: string, meta: { ip: string } = { ip: "" }, mode: SigningMode = "auto"): Promise<{ file: Buffer; fileName: string; signature: SignatureOutcome }> {
    const meeting = await this.#readable(actor, meetingId);
    const issuer = await this.#issuer(meeting);
    const [conclusions, directives, chair] = await Promise.all([
      this.db.meetingConclusion.findMany({ where: { meetingId }, orderBy: { seq: "asc" } }),
      this.db.directive.findMany({ where: { meetingId }, orderBy: { seq: "asc" }, include: { tasks: true } }),
      meeting.chairUserId ? this.db.user.findUnique({ where: { id: meeting.chairUserId }, select: { displayName: true } }) : null,
    ]);
    const names = await unitNamesOf(this.db, [...directives.flatMap((row) => row.tasks.map((task) => task.unitId)), ...meeting.sites.map((site) => site.unitId)]);
    const heldAt = meeting.startedAt ?? meeting.scheduledStart ?? meeting.createdAt;
    const issuedOn = vietnamDateOf(this.clock());
    const addressed = [...new Set(directives.flatMap((row) => row.tasks.map((task) => names.get(task.unitId) ?? task.unitId)))];
    const invited = meeting.sites.map((site) => names.get(site.unitId) ?? site.unitId);
    const file = await briefingNoticePdf({
      issuer: issuer?.name ?? "",
      number: meeting.minutes?.noticeNumber ?? null,
      place: meeting.minutes?.place ?? null,
      issuedOn,
      meetingTitle: meeting.title,
      heldAt: heldAtText(heldAt),
      chairName: chair?.displayName ?? null,
      conclusions: conclusions.map((row) => row.text),
      directives: directives.map((row) => ({ text: row.text, units: row.tasks.map((task) => names.get(task.unitId) ?? task.unitId), dueDate: row.dueDate, expectedReport: row.expectedReport })),
      recipients: [...new Set([...invited, ...addressed])],
      signerTitle: meeting.minutes?.signerTitle ?? null,
      signerName: meeting.minutes?.signerName ?? chair?.displayName ?? null,
      attendance: summariseAttendance(meeting.attendances),
    });
    const fileName = `thong-bao-ket-luan-${meeting.roomId}-${issuedOn}.pdf`;
    if (!issuer) {
      if (mode === "required") throw new AppError("SIGNING_UNAVAILABLE", { detail: "the notice has no issuing unit to sign it" });
      return { file, fileName, signature: mode === "draft" ? "draft" : "noCertificate" };
    }
    if (!directivePolicy.signNotice(actor, { chairUserId: meeting.chairUserId, secretaryUserId: meeting.minutes?.secretaryUserId ?? null, issuerUnit: issuer })) {
      if (mode === "required") throw new AppError("FORBIDDEN", { detail: "only the issuing unit's leaders sign the notice" });
      return { file, fileName, signature: "draft" };
    }
    const signed = await signIssued(this.signer, file, {
      unitId: issuer.id,
      reason: "Thông báo kết luận",
      mode,
      audit: { actorId: actor.id, ip: meta.ip, subjectType: "meeting", subjectId: meetingId },
    });
    return { file: signed.file, fileName, signature: signed.signature };
  }

  /**
   * The previous briefing of the same chair (or, without one, of the same host unit) that gave directives,
   * and those of its directives some unit has not done yet.
   */
  async carriedOver(actor: Actor, meetingId: string): Promise<CarriedOver> {
    const meeting = await this.#readable(actor, meetingId);
    const series = meeting.chairUserId ? { chairUserId: meeting.chairUserId } : meeting.hostUnitId ? { hostUnitId: meeting.hostUnitId } : null;
    if (!series) return { previous: null, directives: [] };
    const before = meeting.scheduledStart ?? meeting.createdAt;
    const previous = await this.db.meeting.findFirst({
      where: { ...series, id: { not: meeting.id }, directives: { some: {} }, OR: [{ scheduledStart: { lt: before } }, { scheduledStart: null, createdAt: { lt: before } }] },
      orderBy: [{ scheduledStart: "desc" }, { createdAt: "desc" }],
      include: { sites: { select: { unitId: true } }, attendances: { select: { unitId: true } } },
    });
    if (!previous) return { previous: null, directives: [] };
    // The previous briefing is another record: shown only to those who may read it (its minutes show the
    // same directives); a site invited to this one only does not learn the other's.
    const previousRef = (await meetingRecordRefs(this.db, [previous])).get(previous.roomId);
    if (!previousRef || !meetingPolicy.readRecord(actor, previousRef)) return { previous: null, directives: [] };
    const directives = await this.db.directive.findMany({ where: { meetingId: previous.id, tasks: { some: { status: { not: "done" } } } }, orderBy: { seq: "asc" }, include: { tasks: true } });
    const names = await unitNamesOf(this.db, directives.flatMap((row) => row.tasks.map((task) => task.unitId)));
    const today = todayIn(this.clock);
    const date = previous.scheduledStart ?? previous.startedAt ?? previous.createdAt;
    return { previous: { id: previous.id, title: previous.title, date: vietnamDateOf(date) }, directives: directives.map((row) => presentDirective(row, names, today)) };
  }
}
