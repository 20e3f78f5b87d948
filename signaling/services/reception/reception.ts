import type { CitizenSecrets } from "../../auth/citizenSecrets";
import type { Db } from "../../db/client";
import type { DocumentSigner } from "../../signing/DocumentSigner";
import type { CaseService } from "../cases/cases";
import { ReceptionBook } from "./book";
import { ReceptionBookings } from "./bookings";
import { ReceptionSchedules } from "./schedules";
import { ReceptionSessions } from "./sessions";

export type { ExportedFile } from "./book";
export type { BookingForSession, JoinLinkGrant } from "./bookings";
export { JOIN_PAGE_PATH } from "./bookings";

/**
 * Citizen reception (tiếp công dân) for the REST routes and the live side: its four services, built once
 * with the same settings (join window, denunciation recording) and called directly — schedules and slots,
 * citizens' bookings and one-time join links, sessions with consent, recording and case, and the reception
 * book (`entries`) with its exports and figures. No state beyond the database and the book's hook.
 */
export class ReceptionService {
  readonly schedules: ReceptionSchedules;
  readonly bookings: ReceptionBookings;
  readonly sessions: ReceptionSessions;
  readonly entries: ReceptionBook;

  constructor(
    db: Db,
    deps: {
      cases: CaseService;
      secrets: CitizenSecrets;
      dataDir: string;
      joinOpensMinutes?: number;
      recordDenunciations?: boolean;
      /** Signs the conclusion notices with the unit's certificate; without it they are issued unsigned. */
      signer?: DocumentSigner;
    },
  ) {
    this.schedules = new ReceptionSchedules(db);
    this.bookings = new ReceptionBookings(db, deps.dataDir, deps.secrets, deps.joinOpensMinutes);
    this.sessions = new ReceptionSessions(db, deps.cases, { recordDenunciations: deps.recordDenunciations ?? false });
    this.entries = new ReceptionBook(db, this.sessions, deps.signer);
  }
}
