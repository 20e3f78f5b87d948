import { VIETNAM_OFFSET_MS } from "../vietnamTime";

/**
 * iCalendar (RFC 5545) invitations, written here: none is installed, and of the maintained ones on npm,
 * ical-generator 11 needs Node ≥ 22 (the project runs 20), ical-generator 10.2.0 (tried) writes
 * `DTSTART;TZID=Asia/Ho_Chi_Minh` with the *UTC* clock time of a plain Date unless a date library (luxon,
 * dayjs…) is added too, plus non-standard TIMEZONE-ID lines, and `ics` 3.12 pulls in yup, nanoid and
 * runes2 and writes no TZID. Only what an invitation needs: one VEVENT in
 * Asia/Ho_Chi_Minh time with its VTIMEZONE, METHOD REQUEST or CANCEL (RFC 5546), TEXT escaping (§3.3.11)
 * and line folding at 75 octets without splitting a UTF-8 character (§3.1). Pure: no clock, no I/O.
 */

export type IcsMethod = "REQUEST" | "CANCEL";

export interface IcsEvent {
  method: IcsMethod;
  /** Stable for the meeting's whole life: every update and the cancellation carry the same UID. */
  uid: string;
  /** 0 first, then +1 on every change (RFC 5546 §2.1.4): calendars keep the highest. */
  sequence: number;
  /** When this version was made (DTSTAMP, UTC). */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  url?: string | undefined;
  organizer: { name?: string | undefined; email: string };
  attendees: readonly { name?: string | undefined; email: string }[];
}

export const VIETNAM_TZID = "Asia/Ho_Chi_Minh";
/** Vietnam has kept UTC+7 without daylight saving since 1975. */

const CRLF = "\r\n";
const utf8 = new TextEncoder();
const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `YYYYMMDDTHHMMSSZ` (a UTC DATE-TIME). */
export function icsUtc(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/** `YYYYMMDDTHHMMSS`, the instant's wall-clock time in Vietnam (used with TZID=Asia/Ho_Chi_Minh). */
export function icsVietnamLocal(date: Date): string {
  return icsUtc(new Date(date.getTime() + VIETNAM_OFFSET_MS)).slice(0, -1);
}

/** TEXT value escaping (§3.3.11): backslash, semicolon, comma, and line breaks as `\n`. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/** A parameter value (CN=…): quoted when it holds `:;,`; quotes and control characters cannot be expressed, so they go. */
function paramValue(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/["\u0000-\u001f\u007f]/g, "");
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/**
 * Folds one content line so no physical line exceeds 75 octets (§3.1): continuation lines start with a
 * space, which counts in their 75. Breaks only between characters, never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = utf8.encode(char).length;
    if (octets + size > limit) {
      out.push(current);
      current = " ";
      octets = 1;
      limit = 75;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

const person = (who: { name?: string | undefined; email: string }) => `${who.name ? `;CN=${paramValue(who.name)}` : ""}:mailto:${who.email}`;

/** The whole calendar object, CRLF line ends, folded; ready to attach as text/calendar; charset=UTF-8. */
export function buildIcs(event: IcsEvent): string {
  const cancelled = event.method === "CANCEL";
  const lines = [
    "BEGIN:VCALENDAR",
    "PRODID:-//Cau Noi//Giao ban truc tuyen//VI",
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    `METHOD:${event.method}`,
    "BEGIN:VTIMEZONE",
    `TZID:${VIETNAM_TZID}`,
    "BEGIN:STANDARD",
    "DTSTART:19750613T000000",
    "TZOFFSETFROM:+0700",
    "TZOFFSETTO:+0700",
    "TZNAME:ICT",
    "END:STANDARD",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${icsUtc(event.stamp)}`,
    `DTSTART;TZID=${VIETNAM_TZID}:${icsVietnamLocal(event.start)}`,
    `DTEND;TZID=${VIETNAM_TZID}:${icsVietnamLocal(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    `ORGANIZER${person(event.organizer)}`,
    ...event.attendees.map((attendee) => `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE${person(attendee)}`),
    `STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`,
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
