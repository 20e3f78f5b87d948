/**
 * Where a protected person's identity appears in free text, however it was typed. A denouncer writes
 * "Tôi là Nguyễn Văn Hùng" in the letter, but also "Nguyen Van Hung" (no accents), "NGUYỄN  VĂN HÙNG",
 * the name with accents as separate combining marks (some Vietnamese input methods), a CCCD as
 * "001 234 567 890" or a phone as "+84 912.345.678". Matching only the stored spelling left all of those
 * readable to people without identity rights (review finding), so the text is compared folded:
 * accents and đ removed, lower case, runs of spaces as one; numbers compared by their digits alone.
 */

/** The span [start, end) of the original text that one folded character came from. */
interface Folded {
  text: string;
  starts: number[];
  ends: number[];
}

const MARKS_AND_INVISIBLES = /[\p{M}\p{Cf}]/gu;
/** Typed between the words of a name, or pasted in: read as a space. */
const SEPARATOR = /[\s\-_\u2010-\u2015]/u;

/**
 * One character (code point) folded: compatibility forms unified (full-width letters and digits), accents
 * and invisible characters (zero-width space, soft hyphen) dropped, đ / Đ / Ð → d, lower case. May be
 * empty (a lone mark or an invisible character).
 */
function foldChar(char: string): string {
  return char.normalize("NFKD").replace(MARKS_AND_INVISIBLES, "").replace(/[đĐÐð]/g, "d").toLowerCase();
}

/** The folded text with, for each of its UTF-16 units, where it came from in the original. */
function foldWithMap(text: string): Folded {
  const folded: Folded = { text: "", starts: [], ends: [] };
  let index = 0;
  for (const char of text) {
    const start = index;
    index += char.length;
    const piece = SEPARATOR.test(char) ? " " : foldChar(char);
    if (piece === "" || (piece === " " && folded.text.endsWith(" "))) {
      // A mark or invisible character typed after a letter, or a run of separators, belongs to the span
      // before it.
      if (folded.ends.length > 0) folded.ends[folded.ends.length - 1] = index;
      continue;
    }
    // One entry per UTF-16 unit of the folded piece: the regular expressions index the folded text in
    // units, and a character outside the BMP (an emoji) is two of them.
    for (let unit = 0; unit < piece.length; unit++) {
      folded.text += piece[unit];
      folded.starts.push(start);
      folded.ends.push(index);
    }
  }
  return folded;
}

/** A value as the folded text would show it: folded, spaces collapsed, trimmed. */
function foldForMatch(value: string): string {
  return foldWithMap(value.trim()).text;
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Digits as written by hand: up to three of space, dot, comma, dash or slash between them. */
const digitsPattern = (digits: string) => [...digits].map(escape).join("[\\s.,\\-/]{0,3}");

/**
 * The patterns (over folded text) that find one identity value: a name or address as a whole-word
 * phrase; a number (CCCD, phone) by its digits, with separators, and a Vietnamese mobile number also in
 * its +84 / 84 form.
 */
function patternsFor(value: string): RegExp[] {
  const digits = value.replace(/\D/g, "");
  const isNumber = digits.length >= 6 && digits.length >= value.replace(/[\s.\-/()+]/g, "").length;
  if (isNumber) {
    const local = digits.startsWith("84") && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
    const variants = [digitsPattern(local)];
    if (local.startsWith("0")) variants.push(`\\(?(?:\\+\\s?)?\\(?84\\)?[\\s.\\-]?${digitsPattern(local.slice(1))}`);
    return [new RegExp(`(?<!\\d)(?:${variants.join("|")})(?!\\d)`, "gu")];
  }
  const phrase = foldForMatch(value);
  if (phrase.length < 3) return [];
  // Whole words: not inside a longer word; a number right after the name ("Hùng1975") still ends it.
  return [new RegExp(`(?<!\\p{L})${escape(phrase)}(?!\\p{L})`, "gu")];
}

/** Original-text spans [start, end) where any of `identity` appears, merged and sorted. */
export function identitySpans(text: string, identity: readonly (string | null | undefined)[]): [number, number][] {
  const values = [...new Set(identity.map((value) => value?.trim() ?? "").filter((value) => value.length >= 3))];
  if (values.length === 0 || text.length === 0) return [];
  const folded = foldWithMap(text);
  const spans: [number, number][] = [];
  for (const pattern of values.flatMap(patternsFor)) {
    for (const match of folded.text.matchAll(pattern)) {
      if (match[0].length === 0) continue;
      const first = match.index;
      const last = first + match[0].length - 1;
      spans.push([folded.starts[first]!, folded.ends[last]!]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const previous = merged[merged.length - 1];
    if (previous && span[0] <= previous[1]) previous[1] = Math.max(previous[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

/** `text` with every span where the identity appears replaced by `label`. */
export function replaceIdentity(text: string, identity: readonly (string | null | undefined)[], label: string): string {
  const spans = identitySpans(text, identity);
  let result = text;
  for (let at = spans.length - 1; at >= 0; at--) {
    const [start, end] = spans[at]!;
    result = result.slice(0, start) + label + result.slice(end);
  }
  return result;
}
