/**
 * The heading of an administrative document (NĐ 30/2020/NĐ-CP): the issuing body on the left, the
 * national name and motto on the right, then the title centred. Leaves the cursor below the title.
 */
export function drawNationalHeader(doc: PDFKit.PDFDocument, options: { issuer: string; title: string; subtitle?: string; place?: string }): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const top = doc.y;
  doc.font("bold").fontSize(11).text(options.issuer.toUpperCase(), left, top, { width: width * 0.42, align: "center" });
  const issuerBottom = doc.y;
  doc.font("bold").fontSize(11).text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", left + width * 0.42, top, { width: width * 0.58, align: "center" });
  doc.font("bold").fontSize(11).text("Độc lập - Tự do - Hạnh phúc", { width: width * 0.58, align: "center" });
  if (options.place) doc.font("regular").fontSize(10).text(options.place, { width: width * 0.58, align: "center" });
  doc.y = Math.max(doc.y, issuerBottom);
  doc.moveDown(2);
  doc.font("bold").fontSize(13).text(options.title, left, doc.y, { width, align: "center" });
  if (options.subtitle) doc.font("regular").fontSize(11).text(options.subtitle, { width, align: "center" });
}
