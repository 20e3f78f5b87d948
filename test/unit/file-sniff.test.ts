import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { FileSniffer, sniffFile } from "../../signaling/domain/files/sniff";

/** Uploads are judged while they stream: any cut into chunks must give the whole file's answer. */
function sniffInChunks(data: Buffer, size: number) {
  const sniffer = new FileSniffer();
  for (let at = 0; at < data.length; at += size) sniffer.push(data.subarray(at, at + size));
  return sniffer.kind();
}

describe("FileSniffer", () => {
  it("gives the same answer for a file in chunks of any size as for the whole file", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Bảng kê").addRow(["Số tiền", 1000]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    // A ZIP that only names a part across a chunk boundary, and a ZIP without Office parts.
    const zipHeader = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    const docx = Buffer.concat([zipHeader, Buffer.from("....[Content_Types].xml....word/document.xml")]);
    const plainZip = Buffer.concat([zipHeader, Buffer.from("....notes.txt....")]);
    for (const file of [xlsx, pdf, png, docx, plainZip, Buffer.from("MZ\x90\x00 not a document")]) {
      const whole = sniffFile(file);
      for (const size of [1, 3, 7, 8, 19, 64, 4096]) expect(sniffInChunks(file, size), `chunks of ${size}`).toEqual(whole);
    }
    expect(sniffFile(xlsx)?.extension).toBe("xlsx");
    expect(sniffFile(docx)?.extension).toBe("docx");
    expect(sniffFile(plainZip)).toBeNull();
  });
});
