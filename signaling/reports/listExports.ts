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

/** A column of a list export: its Vietnamese heading, its width and what it shows of a row. */
interface Column<T> {
  heading: string;
  width: number;
  cell: (row: T) => string | number;
}

/** One sheet: a title, the filters the list was exported with, the headings, then one line per row. */
async function listWorkbook<T>(sheet: { name: string; title: string }, filters: string, columns: readonly Column<T>[], rows: readonly T[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Cầu Nối";
  const worksheet = workbook.addWorksheet(sheet.name);
  worksheet.columns = columns.map((column) => ({ width: column.width }));
  worksheet.addRow([sheet.title]).font = { bold: true, size: 13 };
  worksheet.addRow([filters]);
  worksheet.addRow([]);
  worksheet.addRow(columns.map((column) => column.heading)).font = { bold: true };
  for (const row of rows) worksheet.addRow(columns.map((column) => column.cell(row)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The filters as a reader of the file needs them: "Lọc: state=accepted; tìm kiếm theo từ khóa", or
 * "Không lọc". The search text itself is left out: it is often a person's name or CCCD, and the file travels.
 */
export const describeFilters = (filters: Record<string, string | undefined>): string => {
  const set = Object.entries(filters).filter(([, value]) => value !== undefined && value !== "");
  if (set.length === 0) return "Không lọc";
  return `Lọc: ${set.map(([key, value]) => (key === "q" ? "tìm kiếm theo từ khóa" : `${key}=${value}`)).join("; ")}`;
};

const caseColumns: Column<CaseSummary>[] = [
  { heading: "Mã hồ sơ", width: 20, cell: (row) => row.code },
  { heading: "Loại đơn", width: 14, cell: (row) => (row.kind ? caseKindLabels[row.kind] : "Chưa phân loại") },
  { heading: "Trạng thái", width: 18, cell: (row) => caseStateLabels[row.state] },
  { heading: "Đơn vị", width: 30, cell: (row) => row.unit.name },
  { heading: "Nội dung tóm tắt", width: 50, cell: (row) => row.summary },
  { heading: "Ngày nhận", width: 12, cell: (row) => formatVnDate(row.receivedDate) },
  { heading: "Hạn xử lý", width: 12, cell: (row) => (row.deadline.due ? formatVnDate(row.deadline.due) : "—") },
  { heading: "Còn (ngày)", width: 10, cell: (row) => row.deadline.daysLeft ?? "—" },
  { heading: "Người được giao", width: 24, cell: (row) => row.assignee?.displayName ?? "—" },
];

const meetingColumns: Column<MeetingListRow>[] = [
  { heading: "Tiêu đề", width: 44, cell: (row) => row.title },
  { heading: "Phòng họp", width: 24, cell: (row) => row.roomId },
  { heading: "Trạng thái", width: 16, cell: (row) => meetingStatusLabels[row.status] ?? row.status },
  { heading: "Bắt đầu", width: 18, cell: (row) => (row.startedAt ? vnDateTime(row.startedAt) : "—") },
  { heading: "Kết thúc", width: 18, cell: (row) => (row.endedAt ? vnDateTime(row.endedAt) : "—") },
  { heading: "Số điểm cầu tham dự", width: 20, cell: (row) => row.sites },
];

/** The case list (issue 18 item 7): the rows the caller's list shows, all pages. */
export const caseListXlsx = (rows: readonly CaseSummary[], filters: string) => listWorkbook({ name: "Đơn thư", title: "DANH SÁCH ĐƠN THƯ" }, filters, caseColumns, rows);

/** The meetings list: the meetings the caller may read, all pages. */
export const meetingListXlsx = (rows: readonly MeetingListRow[], filters: string) => listWorkbook({ name: "Cuộc họp", title: "DANH SÁCH CUỘC HỌP" }, filters, meetingColumns, rows);
