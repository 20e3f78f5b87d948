import type { LocalDate } from "../deadlines/localDate";
import { VIETNAM_UTC_OFFSET } from "../vietnamTime";

/** Vietnam keeps UTC+7 all year (no daylight saving), so a local date and time map to one instant. */

/** The instant of a local time of day ("08:30") on a local date in Vietnam. */
export const vietnamInstant = (date: LocalDate | string, time: string): Date => new Date(`${date}T${time}:00${VIETNAM_UTC_OFFSET}`);

/** Minutes since midnight of "HH:MM". */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The instants covering whole local days `from`…`to` (inclusive), for database range filters. */
export function vietnamDaysRange(from: string, to: string): { gte: Date; lt: Date } {
  const end = vietnamInstant(to, "00:00");
  return { gte: vietnamInstant(from, "00:00"), lt: new Date(end.getTime() + 86_400_000) };
}
