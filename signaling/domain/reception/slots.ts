import type { WorkingCalendar } from "../deadlines/calendar";
import { type LocalDate, addDays } from "../deadlines/localDate";
import type { SlotMode } from "../../protocol";
import { occursOn, parseRule } from "./recurrence";
import { minutesOf, vietnamInstant } from "./timeOfDay";

export interface ScheduleForSlots {
  rule: string | null;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  capacityPerSlot: number;
}

export interface GeneratedSlot {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  mode: SlotMode;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * The slots a schedule offers from `from` to `to` (inclusive local dates): on each reception day, back
 * to back from the start time, each `slotMinutes` long, none running past the end time. Weekends and the
 * calendar's days off get none (a monthly day moves to a working day, see monthlyReceptionDay).
 */
export function generateSlots(schedule: ScheduleForSlots, range: { from: LocalDate; to: LocalDate }, calendar: WorkingCalendar, mode: SlotMode): GeneratedSlot[] {
  const recurrence = parseRule(schedule.rule);
  if (!recurrence) throw new RangeError(`unknown reception rule: ${schedule.rule}`);
  const start = minutesOf(schedule.startTime);
  const end = minutesOf(schedule.endTime);
  const slots: GeneratedSlot[] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    if (!occursOn(recurrence, date, calendar)) continue;
    for (let at = start; at + schedule.slotMinutes <= end; at += schedule.slotMinutes) {
      slots.push({ startsAt: vietnamInstant(date, hhmm(at)), endsAt: vietnamInstant(date, hhmm(at + schedule.slotMinutes)), capacity: schedule.capacityPerSlot, mode });
    }
  }
  return slots;
}
