import { AppError } from "../errors";

export * from "./actor";
export { casePolicy, type CaseRef, identityProtected } from "./cases";
export { holidayPolicy } from "./holidays";
export { reportPolicy } from "./reports";
export { receptionPolicy, type BookingRef, type ReceptionEntryRef } from "./reception";
export { meetingPolicy } from "./meetings";
export { isChair, roomEventPolicy } from "./rooms";
export { unitPolicy } from "./units";
export { userPolicy, type UserRef } from "./users";

/** Throws FORBIDDEN unless the rule allows; handlers call this and never test roles themselves. */
export function authorize(allowed: boolean): void {
  if (!allowed) throw new AppError("FORBIDDEN");
}
