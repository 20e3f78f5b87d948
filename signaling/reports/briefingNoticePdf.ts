import type { SiteAttendance } from "../domain/attendance";
import { drawNationalHeader } from "./nationalHeader";
import { createPdf } from "./pdf";
import { drawTable } from "./pdfTable";
import { formatViTime } from "../domain/vietnamTime";

/** What the conclusion notice of a briefing says; gathered from the minutes by services/directives/notice.ts. */
export interface BriefingNotice {
  issuer: string;
  /** Số, ký hiệu: "15/TB-UBND"; blank lines are left to fill in by hand when not set. */
  number: string | null;
  place: string | null;
  /** The day the notice is issued, YYYY-MM-DD. */
  issuedOn: string;
  meetingTitle: string;
  /** The day and hour of the briefing, already formatted. */
  heldAt: string;
  chairName: string | null;
  conclusions: readonly string[];
  directives: readonly { text: string; units: readonly string[]; dueDate: string; expectedReport: string }[];
  recipients: readonly string[];
  signerTitle: string | null;
  signerName: string | null;
  attendance: readonly SiteAttendance[];
}

const vnDay = (date: string) => date.split("-").reverse().join("/");

/**
 * "Thông báo kết luận" of a briefing in the layout of NĐ 30/2020/NĐ-CP (Phụ lục I): issuing body and number
 * on the left, national name, motto, place and date on the right, the title, the body, then "Nơi nhận" on the
 * left and the signer on the right; the attendance follows as an annex. One function returning the file's
 * bytes, so a signer (issue 19 item 3) can sign exactly what is issued.
 */
export function briefingNoticePdf(notice: BriefingNotice): Promise<Buffer> {
  const { doc, done } = createPdf({ title: `Thông báo kết luận — ${notice.meetingTitle}` });
  const [year, month, day] = notice.issuedOn.split("-");
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const top = doc.y;
  drawNationalHeader(doc, {
    issuer: notice.issuer,
    place: `${notice.place ?? "……"}, ngày ${day} tháng ${month} năm ${year}`,
    title: "THÔNG BÁO",
    subtitle: `Kết luận của ${notice.chairName ? `đồng chí ${notice.chairName}, ` : ""}chủ trì ${notice.meetingTitle}`,
  });
  const after = doc.y;
  // The number sits under the issuing body (NĐ 30/2020, Phụ lục I, ô số 3), however many lines its name takes.
  const issuerHeight = doc.font("bold").fontSize(11).heightOfString(notice.issuer.toUpperCase(), { width: width * 0.42 });
  doc.font("regular").fontSize(10).text(`Số: ${notice.number ?? "……/TB-……"}`, left, top + issuerHeight + 4, { width: width * 0.42, align: "center" });
  doc.y = after;
  doc.moveDown(1.2);
  const paragraph = (text: string, bold = false) => {
    doc.font(bold ? "bold" : "regular").fontSize(12).text(text, left, doc.y, { width, align: "justify" });
    doc.moveDown(0.4);
  };
  paragraph(`Vào ${notice.heldAt}, ${notice.chairName ? `đồng chí ${notice.chairName}` : "lãnh đạo"} chủ trì ${notice.meetingTitle} bằng hình thức trực tuyến với ${notice.attendance.length} điểm cầu (danh sách tại Phụ lục kèm theo). Sau khi nghe báo cáo và ý kiến của các đại biểu, ${notice.chairName ? `đồng chí ${notice.chairName}` : "chủ trì"} kết luận như sau:`);
  paragraph("I. KẾT LUẬN", true);
  if (notice.conclusions.length === 0) paragraph("(không có)");
  notice.conclusions.forEach((text, index) => paragraph(`${index + 1}. ${text}`));
  paragraph("II. NHIỆM VỤ GIAO CÁC ĐƠN VỊ", true);
  if (notice.directives.length === 0) paragraph("(không có)");
  notice.directives.forEach((directive, index) => {
    paragraph(`${index + 1}. ${directive.text}`);
    paragraph(`Đơn vị thực hiện: ${directive.units.join(", ")}.`);
    paragraph(`Thời hạn: ${vnDay(directive.dueDate)}.`);
    paragraph(`Yêu cầu báo cáo: ${directive.expectedReport}.`);
  });
  paragraph(`${notice.issuer} thông báo để các cơ quan, đơn vị biết, thực hiện./.`);
  doc.moveDown(1);
  const blockTop = doc.y;
  doc.font("bold").fontSize(10).text("Nơi nhận:", left, blockTop, { width: width * 0.45 });
  doc.font("regular").fontSize(9);
  for (const recipient of [...notice.recipients, "Lưu: VT."]) doc.text(`- ${recipient};`, { width: width * 0.45 });
  const recipientsBottom = doc.y;
  const signLeft = left + width * 0.5;
  doc.font("bold").fontSize(12).text((notice.signerTitle ?? "TL. CHỦ TỊCH").toUpperCase(), signLeft, blockTop, { width: width * 0.5, align: "center" });
  doc.moveDown(4);
  doc.font("bold").fontSize(12).text(notice.signerName ?? "", signLeft, doc.y, { width: width * 0.5, align: "center" });
  doc.y = Math.max(doc.y, recipientsBottom);

  doc.addPage();
  doc.font("bold").fontSize(13).text("PHỤ LỤC", left, doc.y, { width, align: "center" });
  doc.font("bold").fontSize(12).text("DANH SÁCH ĐIỂM CẦU THAM DỰ", { width, align: "center" });
  doc.font("regular").fontSize(10).text(`(Kèm theo Thông báo số ${notice.number ?? "……"} ngày ${vnDay(notice.issuedOn)})`, { width, align: "center" });
  doc.moveDown(1);
  const time = (iso: string | null) => (iso ? formatViTime(new Date(iso)) : "—");
  drawTable(
    doc,
    [
      { heading: "STT", share: 0.07 },
      { heading: "Điểm cầu", share: 0.45 },
      { heading: "Vào lúc", share: 0.14 },
      { heading: "Rời lúc", share: 0.14 },
      { heading: "Số phút dự", share: 0.2 },
    ],
    notice.attendance.map((site, index) => [String(index + 1), site.site, time(site.firstJoined), time(site.lastLeft), String(site.minutesPresent)]),
    { fontSize: 10 },
  );
  doc.end();
  return done;
}
