import { AppError } from "../errors";

export * from "./actor";
export { certificatePolicy } from "./certificates";
export { casePolicy, type CaseRef, identityProtected } from "./cases";
export { directivePolicy, type DirectiveTaskRef, type MinutesRef } from "./directives";
export { holidayPolicy } from "./holidays";
export { mailPolicy } from "./mail";
export { reportPolicy } from "./reports";
export { receptionPolicy, sessionIdentityProtected, type BookingRef, type ReceptionEntryRef, type SessionRecordRef } from "./reception";
export { type BriefingRecordRef, type MeetingListScope, meetingPolicy, type MeetingRecordRef } from "./meetings";
export { appearsAsItsUnit, type BriefingRef, chairOfRoomRequired, chairsBriefing, roomEventPolicy } from "./rooms";
export { unitPolicy } from "./units";
export { userPolicy, type UserRef } from "./users";

/** Throws FORBIDDEN unless the rule allows; handlers call this and never test roles themselves. */
export function authorize(allowed: boolean | "ROLE_GRANT_REFUSED" | "PASSWORD_RESET_REFUSED"): void {
  if (allowed === true) return;
  // A rule with its own refusal names it, so the admin screen can say why instead of a bare 403.
  throw new AppError(allowed === false ? "FORBIDDEN" : allowed);
}
