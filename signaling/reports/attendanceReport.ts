import ExcelJS from "exceljs";
import type { SiteAttendance } from "../domain/attendance";
import { vietnamDateOf } from "../domain/deadlines";
import { createPdf } from "./pdf";
import { formatViTimeDate } from "../domain/vietnamTime";

export interface AttendanceReport {
  title: string;
  roomId: string;
  startedAt: string | null;
  endedAt: string | null;
  sites: SiteAttendance[];
}

const time = (iso: string | null) => (iso ? formatViTimeDate(new Date(iso)) : "—");

const QUALITY = { good: "Tốt", fair: "Trung bình", poor: "Kém" } as const;
const quality = (site: SiteAttendance) => (site.quality ? `${QUALITY[site.quality]} (${site.qualityScore}/10)` : "—");

const HEADINGS = ["Điểm cầu", "Vào lúc", "Rời lúc", "Số lần vào", "Thời gian dự (phút)", "Mất kết nối", "Chất lượng kết nối"];
const row = (site: SiteAttendance) => [site.site, time(site.firstJoined), time(site.lastLeft), site.stays, site.minutesPresent, site.disconnections, quality(site)];

export async function attendanceXlsx(report: AttendanceReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Cầu Nối";
  const sheet = workbook.addWorksheet("Điểm danh");
  sheet.columns = [{ width: 40 }, { width: 20 }, { width: 20 }, { width: 12 }, { width: 20 }, { width: 14 }, { width: 22 }];
  sheet.addRow([`DANH SÁCH ĐIỂM CẦU THAM DỰ — ${report.title}`]).font = { bold: true, size: 13 };
  sheet.addRow([`Phòng họp: ${report.roomId}; bắt đầu ${time(report.startedAt)}; kết thúc ${time(report.endedAt)}`]);
  sheet.addRow([]);
  sheet.addRow(HEADINGS).font = { bold: true };
  for (const site of report.sites) sheet.addRow(row(site));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function attendancePdf(report: AttendanceReport): Promise<Buffer> {
  const { doc, done } = createPdf({ title: report.title, landscape: true });
  const width = doc.page.width - 104;
  doc.font("bold").fontSize(13).text(`DANH SÁCH ĐIỂM CẦU THAM DỰ`, { width, align: "center" });
  doc.font("bold").fontSize(12).text(report.title, { width, align: "center" });
  doc.font("regular").fontSize(10).text(`Phòng họp ${report.roomId} · bắt đầu ${time(report.startedAt)} · kết thúc ${time(report.endedAt)} · lập ngày ${vietnamDateOf(new Date()).split("-").reverse().join("/")}`, { width, align: "center" });
  doc.moveDown(1);
  const columns = [0.28, 0.14, 0.14, 0.09, 0.12, 0.1, 0.13].map((share) => share * width);
  const line = (cells: (string | number)[], header = false) => {
    const y = doc.y;
    let x = 56;
    doc.font(header ? "bold" : "regular").fontSize(10);
    cells.forEach((cell, index) => {
      doc.text(String(cell), x, y, { width: columns[index]! - 6 });
      x += columns[index]!;
    });
    doc.moveTo(56, doc.y + 3).lineTo(56 + width, doc.y + 3).strokeColor("#cccccc").stroke();
    doc.moveDown(0.5);
  };
  line(HEADINGS, true);
  for (const site of report.sites) line(row(site));
  doc.end();
  return done;
}
