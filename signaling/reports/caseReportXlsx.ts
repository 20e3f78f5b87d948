import ExcelJS from "exceljs";
import type { CaseStatistics } from "../services/cases/caseStatistics";
import { formatVnDate, reportRows, reportTitle } from "./labels";

/** The periodic report as a workbook: figures, then the breakdown by unit. */
export async function caseReportXlsx(stats: CaseStatistics): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Cầu Nối";
  const sheet = workbook.addWorksheet("Báo cáo");
  sheet.columns = [{ width: 48 }, { width: 16 }, { width: 18 }, { width: 18 }];
  sheet.addRow([stats.scopeName.toUpperCase()]).font = { bold: true };
  sheet.addRow([reportTitle(stats)]).font = { bold: true, size: 13 };
  sheet.addRow([`Từ ngày ${formatVnDate(stats.period.from)} đến ngày ${formatVnDate(stats.period.to)}`]);
  sheet.addRow([]);
  sheet.addRow(["Chỉ tiêu", "Số lượng"]).font = { bold: true };
  for (const [label, value] of reportRows(stats)) sheet.addRow([label, value]);
  sheet.addRow([]);
  sheet.addRow(["Đơn vị", "Đơn tiếp nhận", "Đang quá hạn", "Lượt tiếp công dân"]).font = { bold: true };
  for (const unit of stats.byUnit) sheet.addRow([unit.name, unit.received, unit.overdueOpen, unit.receptionVisits]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
