import type { EntryDto } from "../protocol";
import { formatVnDate } from "./labels";
import { drawNationalHeader } from "./nationalHeader";
import { createPdf } from "./pdf";
import { drawTable, type PdfColumn } from "./pdfTable";
import { citizensCell, confirmationCell, contentCell, handlingCell, vnDateTime } from "./receptionLabels";

export interface ReceptionBookDocument {
  unitName: string;
  from: string;
  to: string;
  /** Already shaped for the reader: a protected denouncer is the label, with no address. */
  entries: readonly EntryDto[];
}

/** The book's columns (TT 04/2021/TT-TTCP: date, each citizen's name and address, people, content, dossier, officer, handling, confirmation). */
export const BOOK_COLUMNS: readonly PdfColumn[] = [
  { heading: "STT", share: 0.04 },
  { heading: "Ngày tiếp", share: 0.08 },
  { heading: "Họ tên, địa chỉ công dân", share: 0.19 },
  { heading: "Số người", share: 0.05 },
  { heading: "Nội dung", share: 0.22 },
  { heading: "Hồ sơ, tài liệu", share: 0.11 },
  { heading: "Cán bộ tiếp", share: 0.1 },
  { heading: "Hướng xử lý", share: 0.12 },
  { heading: "Công dân xác nhận", share: 0.09 },
];

export const bookRow = (entry: EntryDto, index: number): string[] => [
  String(index + 1),
  vnDateTime(entry.receivedAt),
  citizensCell(entry),
  String(entry.peopleCount),
  contentCell(entry),
  entry.dossier ?? "",
  entry.leaderName && entry.kind !== "regular" ? `${entry.receivingOfficerName}\n(Lãnh đạo: ${entry.leaderName})` : entry.receivingOfficerName,
  handlingCell(entry),
  confirmationCell(entry),
];

export const bookTitle = "SỔ TIẾP CÔNG DÂN";

/** The reception book for a period: A4 landscape (the table is wide), with the national-motto header. */
export function receptionBookPdf(book: ReceptionBookDocument): Promise<Buffer> {
  const { doc, done } = createPdf({ title: `${bookTitle} — ${book.unitName}`, landscape: true });
  drawNationalHeader(doc, { issuer: book.unitName, title: bookTitle, subtitle: `Từ ngày ${formatVnDate(book.from)} đến ngày ${formatVnDate(book.to)}` });
  doc.moveDown(1);
  drawTable(doc, BOOK_COLUMNS, book.entries.map(bookRow));
  doc.moveDown(1);
  const people = book.entries.reduce((sum, entry) => sum + entry.peopleCount, 0);
  doc.font("regular").fontSize(10).text(`Tổng cộng: ${book.entries.length} lượt tiếp, ${people} người.`, doc.page.margins.left, doc.y);
  doc.end();
  return done;
}
