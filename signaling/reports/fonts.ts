import fs from "node:fs";

/** Fonts that carry Vietnamese diacritics (Debian: fonts-noto-core, else fonts-dejavu-core). PDF core
 * fonts garble them. */
const FONT_CANDIDATES = [
  ["/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"],
  ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
] as const;

export function reportFonts(): { regular: string; bold: string } {
  for (const [regular, bold] of FONT_CANDIDATES) if (fs.existsSync(regular) && fs.existsSync(bold)) return { regular, bold };
  throw new Error("no Vietnamese-capable font found: install fonts-noto-core (npm run setup does)");
}
