import ExcelJS from "exceljs";
import { formatVnDate } from "./labels";
import { BOOK_COLUMNS, bookRow, bookTitle, type ReceptionBookDocument } from "./receptionBookPdf";

/** The reception book as a workbook: one row per visit, citizens one per line within their cell. */
export async function receptionBookXlsx(book: ReceptionBookDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Cầu Nối";
  const sheet = workbook.addWorksheet("Sổ tiếp công dân");
  sheet.columns = [{ width: 6 }, { width: 18 }, { width: 40 }, { width: 9 }, { width: 50 }, { width: 28 }, { width: 24 }, { width: 28 }, { width: 22 }];
  sheet.addRow([book.unitName.toUpperCase()]).font = { bold: true };
  sheet.addRow([bookTitle]).font = { bold: true, size: 13 };
  sheet.addRow([`Từ ngày ${formatVnDate(book.from)} đến ngày ${formatVnDate(book.to)}`]);
  sheet.addRow([]);
  sheet.addRow(BOOK_COLUMNS.map((column) => column.heading)).font = { bold: true };
  book.entries.forEach((entry, index) => {
    const cells: (string | number)[] = bookRow(entry, index);
    cells[0] = index + 1;
    cells[3] = entry.peopleCount;
    sheet.addRow(cells).alignment = { wrapText: true, vertical: "top" };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
