import { buildIcs, type IcsMethod } from "./ics";
import { formatViDay, formatViWeekdayDateTime } from "../vietnamTime";

/**
 * The mails the system sends, as pure functions of their facts: subject and body in Vietnamese (with its
 * diacritics; sent as UTF-8) followed by an English line, and for briefings the ICS invitation. No
 * citizen's data ever goes into a mail: a case is named by its code and duty only, its summary may name a
 * protected petitioner (DESIGN.md › Privacy boundary).
 */

export interface MailContent {
  subject: string;
  text: string;
  ics?: { method: IcsMethod; content: string };
}

export interface Person {
  name?: string | undefined;
  email: string;
}

export interface BriefingFacts {
  id: string;
  title: string;
  agenda?: string | null | undefined;
  start: Date;
  end: Date;
  hostUnitName?: string | undefined;
  /** Where to join (the room's page). */
  link: string;
}

export type InvitationChange = "new" | "changed" | "cancelled";

/**
 * An invitation to a scheduled briefing, its update, or its cancellation. The ICS UID is the meeting's
 * id at the server's host, the same for the meeting's whole life, so calendars replace their entry.
 */
export function briefingInvitationMail(input: {
  meeting: BriefingFacts;
  change: InvitationChange;
  sequence: number;
  stamp: Date;
  uidDomain: string;
  organizer: Person;
  recipient: Person;
}): MailContent {
  const { meeting, change } = input;
  const when = `${formatViWeekdayDateTime(meeting.start)} – ${formatViWeekdayDateTime(meeting.end).slice(0, 5)}`;
  const lead = { new: "Giấy mời họp", changed: "Thay đổi lịch họp", cancelled: "Hủy cuộc họp" }[change];
  const leadEn = { new: "Invitation", changed: "Updated invitation", cancelled: "Cancelled" }[change];
  const subject = `${lead}: ${meeting.title} (${when})`;
  const text = [
    `Kính gửi ${input.recipient.name ?? input.recipient.email},`,
    "",
    change === "cancelled"
      ? `Cuộc họp giao ban trực tuyến "${meeting.title}" dự kiến lúc ${when} đã bị hủy.`
      : change === "changed"
        ? `Cuộc họp giao ban trực tuyến "${meeting.title}" đã thay đổi; thời gian mới: ${when}.`
        : `Trân trọng kính mời đồng chí dự cuộc họp giao ban trực tuyến "${meeting.title}" lúc ${when}.`,
    ...(meeting.hostUnitName ? [`Đơn vị chủ trì: ${meeting.hostUnitName}.`] : []),
    ...(meeting.agenda && change !== "cancelled" ? ["", `Nội dung: ${meeting.agenda}`] : []),
    ...(change === "cancelled" ? [] : ["", `Vào phòng họp: ${meeting.link}`]),
    "",
    "Lịch họp được đính kèm (tệp .ics) để thêm vào lịch của đồng chí.",
    "",
    "—",
    `${leadEn}: briefing "${meeting.title}", ${meeting.start.toISOString()} – ${meeting.end.toISOString()} (UTC).`,
    "Thư gửi tự động từ hệ thống Cầu Nối; vui lòng không trả lời thư này. / Sent automatically by Cầu Nối; please do not reply.",
  ].join("\n");
  const method: IcsMethod = change === "cancelled" ? "CANCEL" : "REQUEST";
  const content = buildIcs({
    method,
    uid: `meeting-${meeting.id}@${input.uidDomain}`,
    sequence: input.sequence,
    stamp: input.stamp,
    start: meeting.start,
    end: meeting.end,
    summary: meeting.title,
    description: [meeting.agenda, `Vào phòng họp / Join: ${meeting.link}`].filter(Boolean).join("\n"),
    location: meeting.link,
    url: meeting.link,
    organizer: input.organizer,
    attendees: [input.recipient],
  });
  return { subject, text, ics: { method, content } };
}

/** A statutory duty of a case falling due (≤ 3 working days) or overdue, to the case's handler. */
export function caseDeadlineMail(input: {
  caseCode: string;
  dutyLabel: string;
  basis?: string | undefined;
  due: string;
  overdue: boolean;
  /** Working days left (0 on the day itself); ignored when overdue. */
  workingDaysLeft: number;
  link: string;
  recipient: Person;
}): MailContent {
  const state = input.overdue ? "đã quá hạn" : input.workingDaysLeft === 0 ? "đến hạn hôm nay" : `còn ${input.workingDaysLeft} ngày làm việc`;
  const subject = `${input.overdue ? "Quá hạn" : "Sắp đến hạn"}: hồ sơ ${input.caseCode} — ${input.dutyLabel} (hạn ${formatViDay(input.due)})`;
  const text = [
    `Kính gửi ${input.recipient.name ?? input.recipient.email},`,
    "",
    `Hồ sơ ${input.caseCode}: "${input.dutyLabel}" có hạn ngày ${formatViDay(input.due)} và ${state}.`,
    ...(input.basis ? [`Căn cứ: ${input.basis}.`] : []),
    "",
    `Xem hồ sơ: ${input.link}`,
    "",
    "—",
    `Case ${input.caseCode}: "${input.dutyLabel}" is due on ${input.due}${input.overdue ? " and is overdue" : ""}.`,
    "Thư gửi tự động từ hệ thống Cầu Nối. / Sent automatically by Cầu Nối.",
  ].join("\n");
  return { subject, text };
}

/** A directive of a briefing assigned to a unit (for the directives' `directiveAssigned` moment). */
export function directiveAssignedMail(input: { directive: string; meetingTitle?: string | undefined; unitName: string; due: string; expectedReport?: string | undefined; link: string; recipient: Person }): MailContent {
  const subject = `Nhiệm vụ được giao: ${truncate(input.directive, 80)} (hạn ${formatViDay(input.due)})`;
  const text = [
    `Kính gửi ${input.recipient.name ?? input.recipient.email},`,
    "",
    `${input.unitName} được giao nhiệm vụ${input.meetingTitle ? ` tại cuộc họp "${input.meetingTitle}"` : ""}:`,
    input.directive,
    "",
    `Hạn hoàn thành: ${formatViDay(input.due)}.`,
    ...(input.expectedReport ? [`Báo cáo cần gửi: ${input.expectedReport}.`] : []),
    "",
    `Xem và báo cáo tiến độ: ${input.link}`,
    "",
    "—",
    `New task for ${input.unitName}, due ${input.due}.`,
    "Thư gửi tự động từ hệ thống Cầu Nối. / Sent automatically by Cầu Nối.",
  ].join("\n");
  return { subject, text };
}

/** A reminder of an assigned task: three working days before (D-3), on the day (D), or overdue. */
export function directiveReminderMail(input: { directive: string; unitName: string; due: string; stage: "D-3" | "D" | "overdue"; link: string; recipient: Person }): MailContent {
  const state = { "D-3": "còn 3 ngày", D: "đến hạn hôm nay", overdue: "đã quá hạn" }[input.stage];
  const subject = `${input.stage === "overdue" ? "Quá hạn" : "Nhắc hạn"}: ${truncate(input.directive, 80)} (hạn ${formatViDay(input.due)})`;
  const text = [
    `Kính gửi ${input.recipient.name ?? input.recipient.email},`,
    "",
    `Nhiệm vụ giao cho ${input.unitName} có hạn ngày ${formatViDay(input.due)} và ${state}:`,
    input.directive,
    "",
    `Báo cáo tiến độ: ${input.link}`,
    "",
    "—",
    `Reminder (${input.stage}): task for ${input.unitName}, due ${input.due}.`,
    "Thư gửi tự động từ hệ thống Cầu Nối. / Sent automatically by Cầu Nối.",
  ].join("\n");
  return { subject, text };
}

/** A test message from the settings page. */
export function testMail(recipient: Person): MailContent {
  return {
    subject: "Thư thử nghiệm từ Cầu Nối — máy chủ thư hoạt động",
    text: ["Máy chủ thư điện tử đã nhận thư này: cấu hình gửi thư của Cầu Nối hoạt động.", "", "—", "A test message from Cầu Nối: the mail settings work.", `(${recipient.email})`].join("\n"),
  };
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
