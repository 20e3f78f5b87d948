import type { AuthService } from "../auth/AuthService";
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { RecordingService } from "../services/recordings/RecordingService";
import type { RoomDirectory } from "../realtime/RoomDirectory";
import type { SessionRevoker } from "../auth/revocation";
import type { LimiterStore } from "../auth/throttle";
import { AttachmentStore } from "../services/attachments/attachments";
import type { CaseService } from "../services/cases/cases";
import type { ReceptionService } from "../services/reception/reception";
import { HolidayService } from "../services/holidays/HolidayService";
import { MeetingRecords } from "../services/meetings/meetingRecords";
import { MeetingService } from "../services/meetings/MeetingService";
import { ReportService } from "../services/reports/ReportService";
import { UnitService } from "../services/units/UnitService";
import { UserService } from "../services/users/UserService";
import type { CertificateService } from "../services/certificates/CertificateService";
import type { DocumentSigner } from "../signing/DocumentSigner";
import { certificateRoutes } from "./certificates/certificates";
import type { MeetingMinutesService } from "../services/directives/notice";
import type { DirectiveTasks } from "../services/directives/tasks";
import type { BriefingInvitations } from "../services/mail/briefingInvitations";
import type { MailQueue } from "../services/mail/MailQueue";
import type { MailSettingsService } from "../services/mail/MailSettingsService";
import { mailRoutes } from "./mail/mail";
import { attachmentRoutes } from "./attachments/attachments";
import { directiveRoutes } from "./directives/directives";
import { authRoutes } from "./auth/auth";
import { caseRoutes } from "./cases/cases";
import { guestRoutes } from "./guests/guests";
import { holidayRoutes } from "./holidays/holidays";
import { meetingRoutes } from "./meetings/meetings";
import { reportRoutes } from "./reports/reports";
import { roomRoutes } from "./rooms/rooms";
import { publicRoutes } from "./public/public";
import { receptionRoutes } from "./reception/reception";
import type { AnyRoute } from "./route";
import { unitRoutes } from "./units/units";
import { userRoutes } from "./users/users";

/** Every REST route. The OpenAPI document and the authorization matrix test read this list. */
export function apiRoutes(deps: {
  db: Db;
  auth: AuthService;
  config: Config;
  rooms: RoomDirectory;
  recordings: RecordingService;
  /** Shared with the live side, so a holiday edit reaches every deadline computed. */
  cases: CaseService;
  reception: ReceptionService;
  revocation: SessionRevoker;
  /** The server key sealing certificate passwords, and the signer of issued PDFs. */
  signing: { certificates: CertificateService; signer: DocumentSigner };
  /** Shared with the live side's minutes, so both announce to the same subscribers. */
  directives: { minutes: MeetingMinutesService; tasks: DirectiveTasks };
  /** Outgoing mail: its settings, the queue, and the briefings' invitations. */
  mail: { settings: MailSettingsService; queue: MailQueue; invitations: BriefingInvitations };
  /** Where the public routes' throttles count (this process, or Redis shared by every process). */
  limiters: LimiterStore;
}): AnyRoute[] {
  const { cases } = deps;
  // Who reads which meeting record, and whether a reception's citizen is shown, is the meeting policy's.
  const records = new MeetingRecords(deps.db, deps.recordings);
  const units = new UnitService(deps.db);
  return [
    ...authRoutes({ auth: deps.auth, config: deps.config.auth }),
    ...unitRoutes({ units }),
    ...certificateRoutes({ certificates: deps.signing.certificates }),
    ...userRoutes({ users: new UserService(deps.db, deps.revocation) }),
    ...caseRoutes({ cases }),
    ...attachmentRoutes({ attachments: new AttachmentStore(deps.db, deps.config.files.dataDir), maxBytes: deps.config.files.maxAttachmentBytes }),
    ...reportRoutes({ reports: new ReportService(deps.db, deps.signing.signer) }),
    ...meetingRoutes({ meetings: new MeetingService(deps.db, deps.mail.invitations), records, dataDir: deps.config.files.dataDir }),
    ...roomRoutes({ rooms: deps.rooms, records }),
    ...holidayRoutes({ holidays: new HolidayService(deps.db, { markStale: (tx, day) => cases.markDutiesStale(tx, day), recompute: (ids) => cases.recomputeDuties(ids) }) }),
    ...publicRoutes({ cases, units, limiters: deps.limiters }),
    // The same service as the live side's, so its settings (join window, denunciation recording) hold everywhere.
    ...receptionRoutes({ reception: deps.reception, maxAttachmentBytes: deps.config.files.maxAttachmentBytes, publicUploadBytesPerDay: deps.config.files.publicUploadBytesPerDay, limiters: deps.limiters }),
    ...guestRoutes({ reception: deps.reception, jwtSecret: deps.config.auth.jwtSecret, limiters: deps.limiters }),
    ...directiveRoutes({ ...deps.directives, maxAttachmentBytes: deps.config.files.maxAttachmentBytes }),
    ...mailRoutes({ settings: deps.mail.settings, queue: deps.mail.queue }),
  ];
}
