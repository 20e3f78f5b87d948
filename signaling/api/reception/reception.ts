import type { LimiterStore } from "../../auth/throttle";
import type { ReceptionService } from "../../services/reception/reception";
import { receptionPublicRoutes } from "./public";
import { receptionStaffRoutes } from "./staff";

/** Every citizen-reception route: the staff's and the citizens' (no account). */
export function receptionRoutes(deps: { reception: ReceptionService; maxAttachmentBytes: number; publicUploadBytesPerDay: { unit: number; address: number }; limiters: LimiterStore }) {
  return [...receptionStaffRoutes(deps), ...receptionPublicRoutes(deps)];
}
