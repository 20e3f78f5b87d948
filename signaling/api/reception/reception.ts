import { ReceptionService } from "../../commands/reception";
import type { CaseService } from "../../commands/cases";
import type { Db } from "../../db/client";
import { receptionPublicRoutes } from "./public";
import { receptionStaffRoutes } from "./staff";

/** Every citizen-reception route: the staff's and the citizens' (no account). */
export function receptionRoutes(deps: { db: Db; cases: CaseService; files: { dataDir: string; maxAttachmentBytes: number } }) {
  const reception = new ReceptionService(deps.db, { cases: deps.cases, dataDir: deps.files.dataDir });
  return [...receptionStaffRoutes({ reception }), ...receptionPublicRoutes({ reception, maxAttachmentBytes: deps.files.maxAttachmentBytes })];
}
