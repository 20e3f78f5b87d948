import { describe, expect, it } from "vitest";
import { buildIcs, escapeText, foldLine, icsUtc, icsVietnamLocal } from "../../signaling/domain/mail/ics";
import { briefingInvitationMail, caseDeadlineMail } from "../../signaling/domain/mail/templates";
import { formatViWeekdayDateTime } from "../../signaling/domain/vietnamTime";
import { icsValue, parseIcs, unescapeIcsText } from "../helpers/mail";

const octets = (line: string) => Buffer.byteLength(line, "utf8");

describe("ICS (RFC 5545) writing", () => {
  it("folds long lines at 75 octets, never inside a UTF-8 character, and unfolding gives the line back", () => {
    // Vietnamese letters are 2–3 octets each (ạ, ễ, ữ): a naive cut at 75 bytes would split one.
    const line = `SUMMARY:${"Giao ban trực tuyến tháng 12 về công tác tiếp công dân, giải quyết khiếu nại, tố cáo; ".repeat(4)}`;
    const folded = foldLine(line);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(4);
    for (const piece of physical) {
      expect(octets(piece)).toBeLessThanOrEqual(75);
      expect(piece).not.toContain("\uFFFD");
      // Each physical line is valid UTF-8 on its own.
      expect(Buffer.from(Buffer.from(piece, "utf8").toString("utf8"), "utf8").equals(Buffer.from(piece, "utf8"))).toBe(true);
    }
    for (const continuation of physical.slice(1)) expect(continuation.startsWith(" ")).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    // A short line stays whole; exactly 75 octets is not folded, 76 is.
    expect(foldLine("A".repeat(75))).toBe("A".repeat(75));
    expect(foldLine("A".repeat(76)).split("\r\n")).toEqual(["A".repeat(75), " A"]);
  });

  it("escapes TEXT values: backslash, semicolon, comma and line breaks", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    expect(unescapeIcsText(escapeText("Họp; bàn, kết luận\\ghi chú\nDòng 2"))).toBe("Họp; bàn, kết luận\\ghi chú\nDòng 2");
  });

  it("writes times in Asia/Ho_Chi_Minh (UTC+7) with TZID, and DTSTAMP in UTC", () => {
    const start = new Date("2030-01-01T01:00:00Z"); // 08:00 in Vietnam
    expect(icsVietnamLocal(start)).toBe("20300101T080000");
    expect(icsUtc(start)).toBe("20300101T010000Z");
    // Past midnight UTC+7: the local date is the next day.
    expect(icsVietnamLocal(new Date("2030-01-01T18:30:00Z"))).toBe("20300102T013000");
    expect(formatViWeekdayDateTime(start)).toBe("08:00, Thứ Ba 01/01/2030");
  });

  it("builds a REQUEST and a CANCEL with the same UID, the given SEQUENCE, CRLF line ends", () => {
    const base = {
      uid: "meeting-abc@cau-noi.example",
      stamp: new Date("2029-12-20T00:00:00Z"),
      start: new Date("2030-01-01T01:00:00Z"),
      end: new Date("2030-01-01T03:00:00Z"),
      summary: "Giao ban tháng 1, năm 2030; toàn tỉnh",
      description: "Dòng 1\nDòng 2",
      organizer: { name: "Văn phòng UBND tỉnh", email: "vanphong@tinh.gov.vn" },
      attendees: [{ name: "Nguyễn Văn A", email: "a@xa.gov.vn" }],
    };
    const request = buildIcs({ ...base, method: "REQUEST", sequence: 0 });
    const cancel = buildIcs({ ...base, method: "CANCEL", sequence: 2 });
    expect(request.endsWith("\r\n")).toBe(true);
    expect(request.replace(/\r\n/g, "")).not.toContain("\n");
    for (const line of request.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
    const r = parseIcs(request);
    const c = parseIcs(cancel);
    expect(icsValue(r, "METHOD")?.value).toBe("REQUEST");
    expect(icsValue(c, "METHOD")?.value).toBe("CANCEL");
    expect(icsValue(r, "UID")?.value).toBe(icsValue(c, "UID")?.value);
    expect(icsValue(r, "SEQUENCE")?.value).toBe("0");
    expect(icsValue(c, "SEQUENCE")?.value).toBe("2");
    expect(icsValue(c, "STATUS")?.value).toBe("CANCELLED");
    const dtstart = icsValue(r, "DTSTART")!;
    expect(dtstart.params.TZID).toBe("Asia/Ho_Chi_Minh");
    expect(dtstart.value).toBe("20300101T080000");
    expect(icsValue(r, "TZID")?.value).toBe("Asia/Ho_Chi_Minh"); // the VTIMEZONE it refers to is included
    expect(unescapeIcsText(icsValue(r, "SUMMARY")!.value)).toBe(base.summary);
    expect(unescapeIcsText(icsValue(r, "DESCRIPTION")!.value)).toBe(base.description);
    expect(icsValue(r, "ORGANIZER")?.value).toBe("mailto:vanphong@tinh.gov.vn");
    expect(icsValue(r, "ATTENDEE")?.params.CN).toBe("Nguyễn Văn A");
  });

  it("quotes a parameter value holding a colon, semicolon or comma, and drops quotes it cannot hold", () => {
    const ics = buildIcs({
      method: "REQUEST",
      uid: "u@x",
      sequence: 0,
      stamp: new Date(0),
      start: new Date(0),
      end: new Date(3_600_000),
      summary: "s",
      organizer: { name: 'Sở "Nội vụ": phòng 1, tầng 2', email: "o@x.vn" },
      attendees: [],
    });
    const organizer = icsValue(parseIcs(ics), "ORGANIZER")!;
    expect(organizer.params.CN).toBe('"Sở Nội vụ: phòng 1, tầng 2"');
    expect(organizer.value).toBe("mailto:o@x.vn");
  });
});

describe("mail templates", () => {
  it("an invitation: Vietnamese subject with diacritics, the change named, the ICS method follows the change", () => {
    const input = {
      meeting: { id: "m1", title: "Giao ban quý IV", agenda: "Tổng kết", start: new Date("2030-01-01T01:00:00Z"), end: new Date("2030-01-01T03:00:00Z"), link: "https://x/#/room?room=a" },
      sequence: 0,
      stamp: new Date("2029-12-01T00:00:00Z"),
      uidDomain: "x",
      organizer: { email: "o@x.vn" },
      recipient: { name: "Trần Thị B", email: "b@x.vn" },
    };
    const invitation = briefingInvitationMail({ ...input, change: "new" });
    expect(invitation.subject).toBe("Giấy mời họp: Giao ban quý IV (08:00, Thứ Ba 01/01/2030 – 10:00)");
    expect(invitation.text).toContain("Kính gửi Trần Thị B");
    expect(invitation.ics?.method).toBe("REQUEST");
    expect(briefingInvitationMail({ ...input, change: "changed", sequence: 1 }).subject.startsWith("Thay đổi lịch họp:")).toBe(true);
    const cancelled = briefingInvitationMail({ ...input, change: "cancelled", sequence: 2 });
    expect(cancelled.subject.startsWith("Hủy cuộc họp:")).toBe(true);
    expect(cancelled.ics?.method).toBe("CANCEL");
    expect(icsValue(parseIcs(cancelled.ics!.content), "UID")?.value).toBe("meeting-m1@x");
  });

  it("a case deadline warning names the case by code and duty only", () => {
    const mail = caseDeadlineMail({ caseCode: "BN-2026-000001", dutyLabel: "Giải quyết khiếu nại lần đầu", due: "2026-12-09", overdue: false, workingDaysLeft: 2, link: "l", recipient: { email: "c@x.vn" } });
    expect(mail.subject).toBe("Sắp đến hạn: hồ sơ BN-2026-000001 — Giải quyết khiếu nại lần đầu (hạn 09/12/2026)");
    expect(mail.text).toContain("còn 2 ngày làm việc");
    expect(caseDeadlineMail({ caseCode: "C", dutyLabel: "D", due: "2026-12-01", overdue: true, workingDaysLeft: 0, link: "l", recipient: { email: "c@x.vn" } }).subject.startsWith("Quá hạn:")).toBe(true);
  });
});
