import type { ReceptionService } from "../../services/reception/reception";
import { receptionPublicRoutes } from "./public";
import { receptionStaffRoutes } from "./staff";

/** Every citizen-reception route: the staff's and the citizens' (no account). */
export function receptionRoutes(deps: { reception: ReceptionService; maxAttachmentBytes: number; publicUploadBytesPerDay: { unit: number; address: number } }) {
  const { reception } = deps;
  return [...receptionStaffRoutes({ reception }), ...receptionPublicRoutes({ reception, maxAttachmentBytes: deps.maxAttachmentBytes, publicUploadBytesPerDay: deps.publicUploadBytesPerDay })];
}
