export { type CalendarDay, type CalendarDayKind, calendarDayKinds, parseCalendarDayKind, WorkingCalendar } from "./calendar";
export { computeDeadline, DeadlineError, standing, validateExtensions, type Deadline, type DeadlineInput, type DeadlineStanding, type DeadlineStatus, type Extension, type Suspension } from "./engine";
export { addDays, addMonths, daysBetween, localDate, vietnamDateOf, type LocalDate } from "./localDate";
export { deadlineRuleRows, deadlineRules, periodLength, ruleInForce, type CaseCircumstances, type DeadlineRule, type DeadlineRuleId, type DenunciationComplexity, type ExtensionCountFrom } from "./rules";
export { calendarSeeds, holidays2026, holidays2027, type HolidaySeed, makeUpWorkingDays2026, makeUpWorkingDays2027 } from "./holidays";
export { dutyClosers, eventKind, type HandlingTrack, intakeRule, trackOf, nearestDuty, notifyDocuments, openDuties, type DutyCaseFacts, type DutyEvent, type DutyNature, type NotifyDocument, type OpenDuty } from "./duties";
