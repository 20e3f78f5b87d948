import type { CaseStatistics } from "../services/cases/caseStatistics";
import { formatVnDate, reportRows, reportTitle } from "./labels";
import { drawNationalHeader } from "./nationalHeader";
import { createPdf } from "./pdf";

/** The periodic report as an A4 PDF with the national-motto header of administrative documents (NĐ 30/2020). */
export function caseReportPdf(stats: CaseStatistics): Promise<Buffer> {
  const { doc, done } = createPdf({ title: reportTitle(stats) });
  const width = doc.page.width - 126;
  drawNationalHeader(doc, { issuer: stats.scopeName, title: reportTitle(stats), subtitle: `Từ ngày ${formatVnDate(stats.period.from)} đến ngày ${formatVnDate(stats.period.to)}` });
  doc.moveDown(1.5);

  const row = (label: string, value: string, isHeader = false) => {
    const y = doc.y;
    doc.font(isHeader ? "bold" : "regular").fontSize(11).text(label, 70, y, { width: width * 0.75 });
    doc.text(value, 70 + width * 0.75, y, { width: width * 0.25, align: "right" });
    doc.moveTo(70, doc.y + 2).lineTo(70 + width, doc.y + 2).strokeColor("#cccccc").stroke();
    doc.moveDown(0.4);
  };
  row("Chỉ tiêu", "Số lượng", true);
  for (const [label, value] of reportRows(stats)) row(label, String(value));
  doc.moveDown(1);
  row("Đơn vị", "Đơn / Quá hạn / Lượt tiếp", true);
  for (const unit of stats.byUnit) row(unit.name, `${unit.received} / ${unit.overdueOpen} / ${unit.receptionVisits}`);
  doc.end();
  return done;
}
