import type { EntryDto } from "../protocol";
import { formatViDate, formatViTimeDate } from "../domain/vietnamTime";

/** Vietnamese wording of the reception book's coded fields, as written in the book. */
export const handlingLabels: Record<EntryDto["handling"], string> = {
  huong_dan: "Hướng dẫn",
  chuyen_don: "Chuyển đơn",
  tiep_nhan_don: "Tiếp nhận đơn",
  giai_quyet_ngay: "Giải quyết ngay",
  hen_gap_lanh_dao: "Hẹn gặp lãnh đạo",
  khac: "Khác",
};

export const receptionKindLabels: Record<EntryDto["kind"], string> = {
  regular: "Tiếp thường xuyên",
  periodic: "Lãnh đạo tiếp định kỳ",
  adhoc: "Lãnh đạo tiếp đột xuất",
};

/** "15/12/2026" in Vietnam time. */
export const vnDate = (iso: string): string => formatViDate(new Date(iso));

/** "08:30 15/12/2026" in Vietnam time. */
export const vnDateTime = (iso: string): string => formatViTimeDate(new Date(iso));

const placeRoles: Record<EntryDto["places"][number]["role"], string> = { office: "điểm tiếp", agency: "cơ quan liên quan", observer: "quan sát" };

/** The content, after the places of a multi-site reception ("Điểm cầu: … (điểm tiếp); … (cơ quan liên quan)"). */
export const contentCell = (entry: EntryDto): string =>
  entry.places.length === 0 ? entry.content : `Điểm cầu: ${entry.places.map((place) => `${place.name} (${placeRoles[place.role]})`).join("; ")}
${entry.content}`;

/** Each citizen on a line: "Nguyễn Văn A — Thôn Đông, xã Yên Phong". */
export const citizensCell = (entry: EntryDto): string => entry.citizens.map((citizen) => (citizen.address ? `${citizen.fullName} — ${citizen.address}` : citizen.fullName)).join("\n");

/** The handling with its note. */
export const handlingCell = (entry: EntryDto): string => [handlingLabels[entry.handling], entry.handlingNote].filter(Boolean).join(": ");

export const confirmationCell = (entry: EntryDto): string => (entry.citizenConfirmedAt ? `Đã xác nhận ${vnDateTime(entry.citizenConfirmedAt)}` : "Chưa xác nhận");
