import ExcelJS from "exceljs";
import type { CaseKind, CaseState } from "../domain/cases/workflow";
import type { CaseSummary } from "../protocol";
import { formatVnDate } from "./labels";
import { vnDateTime } from "./receptionLabels";

/** The wording of the case list's coded fields, as the case pages show them. */
const caseKindLabels: Record<CaseKind, string> = { complaint: "Khiếu nại", denunciation: "Tố cáo", recommendation: "Kiến nghị", feedback: "Phản ánh" };
const caseStateLabels: Record<CaseState, string> = {
  received: "Đã tiếp nhận",
  classified: "Đã phân loại",
  accepted: "Đã thụ lý",
  notAccepted: "Không thụ lý",
  guided: "Đã hướng dẫn",
  archived: "Lưu đơn",
  verifying: "Đang xác minh",
  suspended: "Tạm đình chỉ",
  terminated: "Đình chỉ",
  withdrawn: "Đã rút đơn",
  concluded: "Đã có kết luận",
  published: "Đã công khai",
  enforced: "Đã thi hành",
  closed: "Đã kết thúc",
};
const meetingStatusLabels: Record<string, string> = { scheduled: "Đã lên lịch", live: "Đang diễn ra", ended: "Đã kết thúc" };

export interface MeetingListRow {
  title: string;
  roomId: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  sites: number;
}

/** One sheet: a title, the filters the list was exported with, the headings, then the rows. */
async function listWorkbook(sheetName: string, title: string, filters: string, headings: { label: string; width: number }[], rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Cầu Nối";
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = headings.map((heading) => ({ width: heading.width }));
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow([filters]);
  sheet.addRow([]);
  sheet.addRow(headings.map((heading) => heading.label)).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The filters as a reader of the file needs them: "Lọc: state=accepted; q=…", or "Không lọc". */
export const describeFilters = (filters: Record<string, string | undefined>): string => {
  const set = Object.entries(filters).filter(([, value]) => value !== undefined && value !== "");
  return set.length === 0 ? "Không lọc" : `Lọc: ${set.map(([key, value]) => `${key}=${value}`).join("; ")}`;
};

/** The case list (issue 18 item 7): the rows the caller's list shows, all pages. */
export function caseListXlsx(rows: readonly CaseSummary[], filters: string): Promise<Buffer> {
  const headings = [
    { label: "Mã hồ sơ", width: 20 },
    { label: "Loại đơn", width: 14 },
    { label: "Trạng thái", width: 18 },
    { label: "Đơn vị", width: 30 },
    { label: "Nội dung tóm tắt", width: 50 },
    { label: "Ngày nhận", width: 12 },
    { label: "Hạn xử lý", width: 12 },
    { label: "Còn (ngày)", width: 10 },
    { label: "Người được giao", width: 24 },
  ];
  return listWorkbook(
    "Đơn thư",
    "DANH SÁCH ĐƠN THƯ",
    filters,
    headings,
    rows.map((row) => [
      row.code,
      row.kind ? caseKindLabels[row.kind] : "Chưa phân loại",
      caseStateLabels[row.state],
      row.unit.name,
      row.summary,
      formatVnDate(row.receivedDate),
      row.deadline.due ? formatVnDate(row.deadline.due) : "—",
      row.deadline.daysLeft ?? "—",
      row.assignee?.displayName ?? "—",
    ]),
  );
}

/** The meetings list: the meetings the caller may read, all pages. */
export function meetingListXlsx(rows: readonly MeetingListRow[], filters: string): Promise<Buffer> {
  const headings = [
    { label: "Tiêu đề", width: 44 },
    { label: "Phòng họp", width: 24 },
    { label: "Trạng thái", width: 16 },
    { label: "Bắt đầu", width: 18 },
    { label: "Kết thúc", width: 18 },
    { label: "Số điểm cầu tham dự", width: 20 },
  ];
  return listWorkbook(
    "Cuộc họp",
    "DANH SÁCH CUỘC HỌP",
    filters,
    headings,
    rows.map((row) => [
      row.title,
      row.roomId,
      meetingStatusLabels[row.status] ?? row.status,
      row.startedAt ? vnDateTime(row.startedAt) : "—",
      row.endedAt ? vnDateTime(row.endedAt) : "—",
      row.sites,
    ]),
  );
}
