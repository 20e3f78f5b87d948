/**
 * Text compared the way a Vietnamese reader searches: without diacritics or letter case, so "yen phong"
 * finds "UBND xã Yên Phong". "đ" is a letter of its own, not a d with a mark: folded to d explicitly.
 */
export const foldForSearch = (text: string): string =>
  text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

/** Whether any of `fields` contains `query` once both are folded; an empty query matches everything. */
export function matchesSearch(query: string | undefined, fields: readonly string[]): boolean {
  const folded = foldForSearch(query?.trim() ?? "");
  return folded === "" || fields.some((field) => foldForSearch(field).includes(folded));
}
