/** A column of a PDF table: its heading and its share of the usable page width. */
export interface PdfColumn {
  heading: string;
  share: number;
}

const PADDING = 3;

/**
 * A table with ruled cells whose rows grow to fit wrapped text; the heading row is repeated on each new
 * page. Shares are normalised, so they need not add up to 1.
 */
export function drawTable(doc: PDFKit.PDFDocument, columns: readonly PdfColumn[], rows: readonly string[][], options: { fontSize?: number } = {}): void {
  const fontSize = options.fontSize ?? 9;
  const left = doc.page.margins.left;
  const usable = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const total = columns.reduce((sum, column) => sum + column.share, 0);
  const widths = columns.map((column) => (column.share / total) * usable);
  const heightOf = (cells: readonly string[], font: string) => {
    doc.font(font).fontSize(fontSize);
    return Math.max(...cells.map((cell, index) => doc.heightOfString(cell, { width: widths[index]! - 2 * PADDING }))) + 2 * PADDING;
  };
  const drawRow = (cells: readonly string[], font: string) => {
    const height = heightOf(cells, font);
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (font === "regular") drawRow(columns.map((column) => column.heading), "bold");
    }
    const top = doc.y;
    let x = left;
    cells.forEach((cell, index) => {
      const width = widths[index]!;
      doc.rect(x, top, width, height).strokeColor("#555555").lineWidth(0.5).stroke();
      doc.font(font).fontSize(fontSize).fillColor("#000000").text(cell, x + PADDING, top + PADDING, { width: width - 2 * PADDING });
      x += width;
    });
    doc.x = left;
    doc.y = top + height;
  };
  drawRow(columns.map((column) => column.heading), "bold");
  for (const row of rows) drawRow(row, "regular");
}
