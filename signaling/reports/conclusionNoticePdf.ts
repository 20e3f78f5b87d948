import type { EntryDto } from "../protocol";
import { drawNationalHeader } from "./nationalHeader";
import { createPdf } from "./pdf";
import { receptionKindLabels, vnDate, vnDateTime } from "./receptionLabels";

/**
 * The leader's conclusion notice after a reception (thông báo kết luận việc tiếp công dân): who received
 * whom, when, about what, and the conclusion; the signature block names the leader. The citizens are as
 * the reader may see them (a protected denouncer is the label).
 */
export function conclusionNoticePdf(entry: EntryDto): Promise<Buffer> {
  const { doc, done } = createPdf({ title: `Thông báo kết luận tiếp công dân — ${entry.unitName}` });
  const issuedOn = vnDate(entry.conclusionIssuedAt ?? entry.receivedAt).split("/");
  drawNationalHeader(doc, {
    issuer: entry.unitName,
    place: `ngày ${issuedOn[0]} tháng ${issuedOn[1]} năm ${issuedOn[2]}`,
    title: "THÔNG BÁO",
    subtitle: "Kết luận của lãnh đạo về việc tiếp công dân",
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.moveDown(1.5);
  const paragraph = (text: string, bold = false) => {
    doc.font(bold ? "bold" : "regular").fontSize(12).text(text, left, doc.y, { width, align: "justify" });
    doc.moveDown(0.5);
  };
  const names = entry.citizens.map((citizen) => (citizen.address ? `${citizen.fullName} (${citizen.address})` : citizen.fullName)).join("; ");
  paragraph(
    `Vào lúc ${vnDateTime(entry.receivedAt)}, ${entry.leaderName ?? "lãnh đạo"} — ${entry.unitName} đã tiếp công dân (${receptionKindLabels[entry.kind].toLowerCase()}): ${names}; số người: ${entry.peopleCount}.`,
  );
  paragraph(`Cán bộ tiếp công dân: ${entry.receivingOfficerName}.`);
  paragraph("Nội dung công dân trình bày:", true);
  paragraph(entry.content);
  paragraph("Kết luận:", true);
  paragraph(entry.conclusion ?? "");
  doc.moveDown(1.5);
  const signatureLeft = left + width * 0.5;
  doc.font("bold").fontSize(12).text("NGƯỜI CHỦ TRÌ TIẾP CÔNG DÂN", signatureLeft, doc.y, { width: width * 0.5, align: "center" });
  doc.moveDown(3);
  doc.font("bold").fontSize(12).text(entry.leaderName ?? "", signatureLeft, doc.y, { width: width * 0.5, align: "center" });
  doc.moveDown(2);
  doc.font("regular").fontSize(10).text("Nơi nhận: công dân được tiếp; các cơ quan, đơn vị liên quan; lưu hồ sơ tiếp công dân.", left, doc.y, { width });
  doc.end();
  return done;
}
