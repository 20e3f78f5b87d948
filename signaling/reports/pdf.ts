import PDFDocument from "pdfkit";
import { reportFonts } from "./fonts";

/** An A4 document with the Vietnamese-capable fonts registered as "regular" and "bold", and its bytes. */
export function createPdf(options: { title: string; landscape?: boolean }): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const { regular, bold } = reportFonts();
  const doc = new PDFDocument({
    size: "A4",
    layout: options.landscape ? "landscape" : "portrait",
    margins: options.landscape ? { top: 48, bottom: 48, left: 56, right: 48 } : { top: 56, bottom: 56, left: 70, right: 56 },
    info: { Title: options.title, Creator: "Cầu Nối" },
  });
  doc.registerFont("regular", regular);
  doc.registerFont("bold", bold);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, done };
}
