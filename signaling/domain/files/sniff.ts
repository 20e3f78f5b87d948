/**
 * What a file really is, from its first bytes and (for Office files) its ZIP directory, never from its
 * name. Only the kinds a petition file needs: PDF, JPEG, PNG, Word and Excel (current and 97–2003).
 */
export type FileKind = { mimeType: string; extension: string };

const PDF: FileKind = { mimeType: "application/pdf", extension: "pdf" };
const JPEG: FileKind = { mimeType: "image/jpeg", extension: "jpg" };
const PNG: FileKind = { mimeType: "image/png", extension: "png" };
const DOCX: FileKind = { mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extension: "docx" };
const XLSX: FileKind = { mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" };
const OLE: FileKind = { mimeType: "application/x-ole-storage", extension: "doc" };

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((byte, index) => data[index] === byte);

export function sniffFile(data: Buffer): FileKind | null {
  const sniffer = new FileSniffer();
  sniffer.push(data);
  return sniffer.kind();
}

/** OOXML part names that tell the kind apart, and the longest of them (the overlap kept between chunks). */
const ZIP_MARKERS = ["[Content_Types].xml", "word/", "xl/"] as const;
const ZIP_CARRY = Math.max(...ZIP_MARKERS.map((marker) => marker.length)) - 1;

/**
 * The same judgement over a file that arrives in chunks (an upload streamed to disk), so the whole file
 * never has to sit in memory: the first bytes are kept, and for a ZIP the part names are searched in each
 * chunk together with the end of the previous one (a name may straddle two chunks).
 */
export class FileSniffer {
  #head = Buffer.alloc(0);
  #carry = "";
  readonly #seen = new Set<string>();

  push(chunk: Buffer): void {
    if (this.#head.length < 8) this.#head = Buffer.concat([this.#head, chunk.subarray(0, 8 - this.#head.length)]);
    // File names sit uncompressed in the ZIP's local headers and central directory.
    const text = this.#carry + chunk.toString("latin1");
    for (const marker of ZIP_MARKERS) if (!this.#seen.has(marker) && text.includes(marker)) this.#seen.add(marker);
    this.#carry = text.slice(-ZIP_CARRY);
  }

  kind(): FileKind | null {
    const data = this.#head;
    if (data.length < 8) return null;
    if (data.subarray(0, 5).toString("latin1") === "%PDF-") return PDF;
    if (startsWith(data, [0xff, 0xd8, 0xff])) return JPEG;
    if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
    // Word/Excel 97–2003 are OLE compound files; their exact kind is inside, the container is enough here.
    if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return OLE;
    if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) {
      // OOXML: a ZIP whose entries name the document part.
      if (!this.#seen.has("[Content_Types].xml")) return null;
      if (this.#seen.has("word/")) return DOCX;
      if (this.#seen.has("xl/")) return XLSX;
    }
    return null;
  }
}

/** A name safe to send back in Content-Disposition and to show: no paths, no control characters. */
export function cleanFileName(name: string, kind: FileKind): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/^.*[\\/]/, "").replace(/[\u0000-\u001f\u007f"]/g, "").trim().slice(0, 150);
  const stem = base.replace(/\.[^.]*$/, "") || "tep-dinh-kem";
  return `${stem}.${kind.extension}`;
}
