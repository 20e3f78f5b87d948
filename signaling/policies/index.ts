import { AppError } from "../errors";

export * from "./actor";
export { casePolicy, type CaseRef } from "./cases";
export { holidayPolicy } from "./holidays";
export { reportPolicy } from "./reports";
export { receptionPolicy, type BookingRef, type ReceptionEntryRef } from "./reception";
export { meetingPolicy } from "./meetings";
export { type BriefingRef, chairOfRoomRequired, chairsBriefing, roomEventPolicy } from "./rooms";
export { unitPolicy } from "./units";
export { userPolicy, type UserRef } from "./users";

/** Throws FORBIDDEN unless the rule allows; handlers call this and never test roles themselves. */
export function authorize(allowed: boolean): void {
  if (!allowed) throw new AppError("FORBIDDEN");
}
