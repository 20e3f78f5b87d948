export { formatBookingCode, bookingCodePrefix } from "./bookingCode";
export { clientNetwork } from "./clientNetwork";
export { GROUP_VISIT_MIN_PEOPLE, isGroupVisit } from "./figures";
export { JOIN_OPENS_MINUTES_BEFORE, joinWindow, type JoinWindow } from "./joinWindow";
export { receptionCompliance, receptionRequirementRows, receptionRequirements, requirementFor, type Compliance, type ReceptionRequirement, type ReceptionRequirementRow, type ScheduleForCompliance } from "./legalMinimum";
export { kindMayBeRecorded, recordingRefusal, type RecordingRefusal } from "./recordingRule";
export { monthlyReceptionDay, occursOn, parseRule, type Recurrence } from "./recurrence";
export { generateSlots, type GeneratedSlot, type ScheduleForSlots } from "./slots";
export { minutesOf, vietnamDaysRange, vietnamInstant } from "./timeOfDay";
