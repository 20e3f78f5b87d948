import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";

/** Every cell of every sheet of an XLSX file, one per line: what a reader of the file can see. */
export async function xlsxText(data: Buffer): Promise<string> {
  return (await xlsxRows(data)).flat().join("\n");
}

/** The first sheet's rows as text cells (empty cells as ""), for asserting headings and row order. */
export async function xlsxRows(data: Buffer, sheetIndex?: number): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
  const rows: string[][] = [];
  const sheets = sheetIndex === undefined ? workbook.worksheets : [workbook.worksheets[sheetIndex]!];
  for (const sheet of sheets) sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => (value === undefined || value === null ? "" : String(value)))));
  return rows;
}

/** The text of a PDF as pdftotext reads it (`layout` keeps the columns apart); the temporary file is removed. */
export function pdfText(data: Buffer, options: { layout?: boolean } = {}): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-pdf-"));
  const file = path.join(directory, "file.pdf");
  fs.writeFileSync(file, data);
  try {
    return execFileSync("pdftotext", [...(options.layout ? ["-layout"] : []), file, "-"], { encoding: "utf8" });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
