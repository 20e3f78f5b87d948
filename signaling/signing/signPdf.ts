import { randomBytes } from "node:crypto";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SignPdf } from "@signpdf/signpdf";
import { SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import type { CadesSigner } from "./cades";

export interface SignatureFields {
  /** Why the document is signed, e.g. "Thông báo kết luận". */
  reason: string;
  /** Where: the issuing unit's place. */
  location: string;
  /** The signer's name as the signature dictionary states it (the certificate's CN). */
  name: string;
  signingTime: Date;
}

/**
 * Adds an invisible PAdES signature (SubFilter ETSI.CAdES.detached) to a PDF as an incremental update:
 * a signature field and its dictionary (reason, location, name, /M = signing time) are appended, then
 * the CMS over every byte but the signature's own is written into the reserved /Contents.
 */
export async function signPdfWith(pdf: Buffer, signer: CadesSigner, fields: SignatureFields): Promise<Buffer> {
  const texts = { reason: placeholderFor(fields.reason), location: placeholderFor(fields.location), name: placeholderFor(fields.name) };
  let prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: texts.reason.token,
    location: texts.location.token,
    name: texts.name.token,
    contactInfo: "",
    signingTime: fields.signingTime,
    signatureLength: signer.signatureLength,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    // A PDF name: no spaces.
    appName: "CauNoi",
  });
  for (const text of Object.values(texts)) prepared = replaceSameLength(prepared, `(${text.token})`, text.hex);
  return new SignPdf().sign(prepared, signer, fields.signingTime);
}

/**
 * @signpdf's string writer turns a non-ASCII text into UTF-16 bytes, then appends them through a UTF-8
 * conversion, which mangles every byte above 0x7F (Vietnamese reasons and names came out as garbage).
 * So the dictionary is written with an ASCII token exactly as long as the text's hex string
 * `<FEFF…>` (UTF-16BE, as PDF text strings are), and the token is swapped for it afterwards: same
 * length, so every offset the incremental update recorded stays right.
 */
function placeholderFor(text: string): { token: string; hex: string } {
  const hex = `<${Buffer.from(`\ufeff${text}`, "utf16le").swap16().toString("hex").toUpperCase()}>`;
  // "(" + token + ")" is as long as the hex string; letters only, nothing the PDF writer escapes.
  const random = randomBytes(16).toString("hex").replace(/[0-9]/g, (digit) => String.fromCharCode(71 + Number(digit))).toUpperCase();
  const token = `${random}${"Q".repeat(hex.length)}`.slice(0, hex.length - 2);
  return { token, hex };
}

function replaceSameLength(pdf: Buffer, from: string, to: string): Buffer {
  const at = pdf.indexOf(from, 0, "latin1");
  if (at < 0 || pdf.indexOf(from, at + 1, "latin1") >= 0 || from.length !== to.length) throw new Error("signature dictionary placeholder not found exactly once");
  const result = Buffer.from(pdf);
  result.write(to, at, "latin1");
  return result;
}
