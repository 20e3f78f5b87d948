-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "hostUnitId" TEXT,
    "chairUserId" TEXT,
    "agenda" TEXT,
    "scheduledStart" TIMESTAMP(3),
    "scheduledEnd" TIMESTAMP(3),

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingSite" (
    "meetingId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,

    CONSTRAINT "MeetingSite_pkey" PRIMARY KEY ("meetingId","unitId")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "peerId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "userId" TEXT,
    "unitId" TEXT,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leftAt" TIMESTAMP(3),
    "leaveReason" TEXT,
    "qualityUp" DOUBLE PRECISION,
    "qualityDown" DOUBLE PRECISION,
    "poorShare" DOUBLE PRECISION,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Unit" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "parentId" TEXT,
    "path" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "passwordChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserRole" (
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "UserRole_pkey" PRIMARY KEY ("userId","role")
);

-- CreateTable
CREATE TABLE "RefreshSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokeReason" TEXT,
    "replacedById" TEXT,
    "userAgent" TEXT,
    "ip" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefreshSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "detail" TEXT,
    "ip" TEXT,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Holiday" (
    "id" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL DEFAULT 'holiday',

    CONSTRAINT "Holiday_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "lookupSecretHash" TEXT NOT NULL,
    "kind" TEXT,
    "state" TEXT NOT NULL DEFAULT 'received',
    "round" INTEGER NOT NULL DEFAULT 1,
    "unitId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "channel" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "receivedDate" TEXT NOT NULL,
    "acceptedDate" TEXT,
    "complexity" TEXT NOT NULL DEFAULT 'normal',
    "remoteArea" BOOLEAN NOT NULL DEFAULT false,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "wasDenunciation" BOOLEAN NOT NULL DEFAULT false,
    "eligible" BOOLEAN,
    "withinCompetence" BOOLEAN,
    "dueDate" TEXT,
    "deadlineRule" TEXT,
    "openDuties" TEXT,
    "publishedAnswer" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseTally" (
    "unitId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CaseTally_pkey" PRIMARY KEY ("unitId","state")
);

-- CreateTable
CREATE TABLE "CaseSearchDoc" (
    "docId" SERIAL NOT NULL,
    "caseId" TEXT NOT NULL,

    CONSTRAINT "CaseSearchDoc_pkey" PRIMARY KEY ("docId")
);

-- CreateTable
CREATE TABLE "CaseParty" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "idNumber" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "organization" TEXT,

    CONSTRAINT "CaseParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT NOT NULL,
    "previousHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseCounter" (
    "unitId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "next" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "CaseCounter_pkey" PRIMARY KEY ("unitId","year")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "uploadedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "peerId" TEXT NOT NULL,
    "userId" TEXT,
    "displayName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "startedById" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'recording',
    "file" TEXT,
    "sha256" TEXT,
    "durationSeconds" DOUBLE PRECISION,
    "sizeBytes" INTEGER,
    "tracks" INTEGER NOT NULL DEFAULT 0,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "consentWithdrawnAt" TIMESTAMP(3),

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceptionSchedule" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "leaderUserId" TEXT,
    "rule" TEXT,
    "startTime" TEXT NOT NULL,
    "endTime" TEXT NOT NULL,
    "slotMinutes" INTEGER NOT NULL,
    "capacityPerSlot" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReceptionSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceptionSlot" (
    "id" TEXT NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "booked" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReceptionSlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "slotId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "cccd" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "petitionKind" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'booked',
    "joinTokenHash" TEXT,
    "joinTokenUsedAt" TIMESTAMP(3),
    "cancelSecretHash" TEXT NOT NULL,
    "createdIp" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "Booking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BookingAttachment" (
    "id" TEXT NOT NULL,
    "bookingId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BookingAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceptionSession" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "shape" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hostUserId" TEXT NOT NULL,
    "bookingId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "consentAt" TIMESTAMP(3),
    "consentGiven" BOOLEAN,
    "recordingId" TEXT,
    "caseId" TEXT,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "declaredKind" TEXT,
    "identityProtected" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReceptionSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceptionSessionUnit" (
    "sessionId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "ReceptionSessionUnit_pkey" PRIMARY KEY ("sessionId","unitId")
);

-- CreateTable
CREATE TABLE "ReceptionBookEntry" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "sessionId" TEXT,
    "bookingId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "receivingOfficerUserId" TEXT NOT NULL,
    "receivingOfficerName" TEXT NOT NULL,
    "leaderUserId" TEXT,
    "leaderName" TEXT,
    "peopleCount" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "dossier" TEXT,
    "handling" TEXT NOT NULL,
    "handlingNote" TEXT,
    "petitionKind" TEXT,
    "caseId" TEXT,
    "citizenConfirmedAt" TIMESTAMP(3),
    "confirmationMethod" TEXT,
    "conclusion" TEXT,
    "conclusionIssuedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "wasDenunciation" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReceptionBookEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceptionCitizen" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "cccd" TEXT,
    "phone" TEXT,

    CONSTRAINT "ReceptionCitizen_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoomModerationState" (
    "roomId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoomModerationState_pkey" PRIMARY KEY ("roomId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_roomId_key" ON "Meeting"("roomId");

-- CreateIndex
CREATE INDEX "Meeting_scheduledStart_idx" ON "Meeting"("scheduledStart");

-- CreateIndex
CREATE INDEX "MeetingSite_unitId_idx" ON "MeetingSite"("unitId");

-- CreateIndex
CREATE INDEX "Attendance_meetingId_joinedAt_idx" ON "Attendance"("meetingId", "joinedAt");

-- CreateIndex
CREATE INDEX "Attendance_peerId_idx" ON "Attendance"("peerId");

-- CreateIndex
CREATE INDEX "Attendance_unitId_idx" ON "Attendance"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Unit_code_key" ON "Unit"("code");

-- CreateIndex
CREATE INDEX "Unit_parentId_idx" ON "Unit"("parentId");

-- CreateIndex
CREATE INDEX "Unit_path_idx" ON "Unit"("path");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "User_unitId_idx" ON "User"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "RefreshSession_tokenHash_key" ON "RefreshSession"("tokenHash");

-- CreateIndex
CREATE INDEX "RefreshSession_userId_idx" ON "RefreshSession"("userId");

-- CreateIndex
CREATE INDEX "RefreshSession_familyId_idx" ON "RefreshSession"("familyId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_subjectType_subjectId_idx" ON "AuditLog"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_at_idx" ON "AuditLog"("actorId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Holiday_date_key" ON "Holiday"("date");

-- CreateIndex
CREATE UNIQUE INDEX "Case_code_key" ON "Case"("code");

-- CreateIndex
CREATE INDEX "Case_unitId_state_idx" ON "Case"("unitId", "state");

-- CreateIndex
CREATE INDEX "Case_unitId_state_dueDate_idx" ON "Case"("unitId", "state", "dueDate");

-- CreateIndex
CREATE INDEX "Case_state_dueDate_idx" ON "Case"("state", "dueDate");

-- CreateIndex
CREATE INDEX "Case_receivedDate_idx" ON "Case"("receivedDate");

-- CreateIndex
CREATE INDEX "Case_assigneeId_dueDate_idx" ON "Case"("assigneeId", "dueDate");

-- CreateIndex
CREATE INDEX "Case_dueDate_receivedDate_code_idx" ON "Case"("dueDate", "receivedDate" DESC, "code");

-- CreateIndex
CREATE INDEX "Case_report_idx" ON "Case"("receivedDate", "unitId", "kind", "state", "withinCompetence", "acceptedDate", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "CaseSearchDoc_caseId_key" ON "CaseSearchDoc"("caseId");

-- CreateIndex
CREATE INDEX "CaseParty_caseId_idx" ON "CaseParty"("caseId");

-- CreateIndex
CREATE INDEX "CaseParty_name_idx" ON "CaseParty"("name");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_action_idx" ON "CaseEvent"("caseId", "action");

-- CreateIndex
CREATE UNIQUE INDEX "CaseEvent_caseId_sequence_key" ON "CaseEvent"("caseId", "sequence");

-- CreateIndex
CREATE INDEX "Attachment_caseId_idx" ON "Attachment"("caseId");

-- CreateIndex
CREATE INDEX "Attachment_sha256_idx" ON "Attachment"("sha256");

-- CreateIndex
CREATE INDEX "ChatMessage_meetingId_at_idx" ON "ChatMessage"("meetingId", "at");

-- CreateIndex
CREATE INDEX "Recording_meetingId_startedAt_idx" ON "Recording"("meetingId", "startedAt");

-- CreateIndex
CREATE INDEX "ReceptionSchedule_unitId_active_idx" ON "ReceptionSchedule"("unitId", "active");

-- CreateIndex
CREATE INDEX "ReceptionSlot_unitId_startsAt_idx" ON "ReceptionSlot"("unitId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReceptionSlot_scheduleId_startsAt_mode_key" ON "ReceptionSlot"("scheduleId", "startsAt", "mode");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_code_key" ON "Booking"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_joinTokenHash_key" ON "Booking"("joinTokenHash");

-- CreateIndex
CREATE INDEX "Booking_slotId_status_idx" ON "Booking"("slotId", "status");

-- CreateIndex
CREATE INDEX "Booking_phone_idx" ON "Booking"("phone");

-- CreateIndex
CREATE INDEX "Booking_unitId_createdAt_idx" ON "Booking"("unitId", "createdAt");

-- CreateIndex
CREATE INDEX "BookingAttachment_bookingId_idx" ON "BookingAttachment"("bookingId");

-- CreateIndex
CREATE INDEX "BookingAttachment_sha256_idx" ON "BookingAttachment"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "ReceptionSession_roomId_key" ON "ReceptionSession"("roomId");

-- CreateIndex
CREATE UNIQUE INDEX "ReceptionSession_bookingId_key" ON "ReceptionSession"("bookingId");

-- CreateIndex
CREATE INDEX "ReceptionSession_unitId_createdAt_idx" ON "ReceptionSession"("unitId", "createdAt");

-- CreateIndex
CREATE INDEX "ReceptionSession_status_idx" ON "ReceptionSession"("status");

-- CreateIndex
CREATE INDEX "ReceptionSessionUnit_unitId_idx" ON "ReceptionSessionUnit"("unitId");

-- CreateIndex
CREATE INDEX "ReceptionBookEntry_unitId_receivedAt_idx" ON "ReceptionBookEntry"("unitId", "receivedAt");

-- CreateIndex
CREATE INDEX "ReceptionBookEntry_sessionId_idx" ON "ReceptionBookEntry"("sessionId");

-- CreateIndex
CREATE INDEX "ReceptionCitizen_entryId_idx" ON "ReceptionCitizen"("entryId");

-- AddForeignKey
ALTER TABLE "MeetingSite" ADD CONSTRAINT "MeetingSite_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefreshSession" ADD CONSTRAINT "RefreshSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseParty" ADD CONSTRAINT "CaseParty_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSchedule" ADD CONSTRAINT "ReceptionSchedule_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSlot" ADD CONSTRAINT "ReceptionSlot_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "ReceptionSchedule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSlot" ADD CONSTRAINT "ReceptionSlot_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "ReceptionSlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookingAttachment" ADD CONSTRAINT "BookingAttachment_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSession" ADD CONSTRAINT "ReceptionSession_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSession" ADD CONSTRAINT "ReceptionSession_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSessionUnit" ADD CONSTRAINT "ReceptionSessionUnit_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ReceptionSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionSessionUnit" ADD CONSTRAINT "ReceptionSessionUnit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionBookEntry" ADD CONSTRAINT "ReceptionBookEntry_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionBookEntry" ADD CONSTRAINT "ReceptionBookEntry_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ReceptionSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionBookEntry" ADD CONSTRAINT "ReceptionBookEntry_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceptionCitizen" ADD CONSTRAINT "ReceptionCitizen_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "ReceptionBookEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------
-- Hand-written part: the PostgreSQL equivalents of the SQLite migrations' raw SQL (triggers and FTS5).
-- Prisma cannot model these; functions and triggers are invisible to its diff, and the search tables live
-- in their own schema "search" so `migrate diff` (which reads "public") never proposes dropping them.
-- ---------------------------------------------------------------------------------------------------

-- Case counts per (unit, state) for the work queue's total (SQLite: 20261206170000_case_performance).
CREATE FUNCTION "Case_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE "CaseTally" SET "n" = "n" - 1 WHERE "unitId" = OLD."unitId" AND "state" = OLD."state";
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO "CaseTally" ("unitId", "state", "n") VALUES (NEW."unitId", NEW."state", 1)
            ON CONFLICT ("unitId", "state") DO UPDATE SET "n" = "CaseTally"."n" + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "Case_tally_insert" AFTER INSERT ON "Case" FOR EACH ROW EXECUTE FUNCTION "Case_tally"();
CREATE TRIGGER "Case_tally_update" AFTER UPDATE OF "unitId", "state" ON "Case" FOR EACH ROW
    WHEN (OLD."unitId" IS DISTINCT FROM NEW."unitId" OR OLD."state" IS DISTINCT FROM NEW."state") EXECUTE FUNCTION "Case_tally"();
CREATE TRIGGER "Case_tally_delete" AFTER DELETE ON "Case" FOR EACH ROW EXECUTE FUNCTION "Case_tally"();

-- Case search (SQLite: 20261206235000_case_search and 20261207050000_search_privacy, FTS5 unicode61 with
-- remove_diacritics 2). Matching must be the same as there: case and every diacritic folded ("Nguyễn" =
-- "nguyen"), "đ"/"Đ" folded to "d", words split at anything that is not a letter or digit, each query
-- word a prefix, all required. search.fold does the folding without the unaccent extension (NFD, then the
-- combining marks U+0300–U+036F dropped), so it needs only a UTF8 database.
CREATE SCHEMA "search";

CREATE FUNCTION "search".fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(translate(regexp_replace(normalize(coalesce(t, ''), NFD), '[\u0300-\u036f]', '', 'g'), 'đĐ', 'dD'))
$$;

-- A text as a tsvector of its folded words, every position carrying one weight: A code, B names a reader
-- may see, C summary, D content. ts_rank's weights {0.1, 0.2, 0.5, 1.0} for {D, C, B, A} are FTS5's bm25
-- weights 1 : 2 : 5 : 10 for content, summary, names, code.
CREATE FUNCTION "search".vec(t text, w "char") RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('simple', regexp_replace("search".fold(t), '[^[:alnum:]]+', ' ', 'g')), w)
$$;

-- The user's words as a tsquery of prefix terms, all required, optionally only at some weights ('B' =
-- the names column). Built from the folded words' letters and digits only, so no user text is tsquery
-- syntax. NULL (matches nothing) when nothing searchable is left.
CREATE FUNCTION "search".query(words text, weights text DEFAULT '') RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg('''' || tok || ''':*' || weights, ' & ')::tsquery
      FROM regexp_split_to_table("search".fold(words), '[^[:alnum:]]+') AS tok
     WHERE tok <> ''
$$;

-- One row per case (key: "CaseSearchDoc"."docId"): code, summary, content and the names every reader may
-- see (never a protected petitioner's or their representative's: casePolicy's identityProtected =
-- unclassified, a denunciation, or one that ever was).
CREATE TABLE "search"."CaseSearch" ("docId" integer PRIMARY KEY, "doc" tsvector NOT NULL);
CREATE INDEX "CaseSearch_doc_idx" ON "search"."CaseSearch" USING gin ("doc");

-- For protected cases only: the protected parties' (everyone but the respondent) name, CCCD and phone. A
-- term matching this and no visible name drops the case from the hits (caseQueries.searchPage).
CREATE TABLE "search"."CaseSearchProtected" ("docId" integer PRIMARY KEY, "identity" tsvector NOT NULL);
CREATE INDEX "CaseSearchProtected_identity_idx" ON "search"."CaseSearchProtected" USING gin ("identity");

-- Rebuilds one case's rows from the stored case and parties (or removes them when the case is gone).
CREATE FUNCTION "search".reindex_case(case_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c "Case"%ROWTYPE;
    doc_id integer;
    protected boolean;
BEGIN
    SELECT "docId" INTO doc_id FROM "CaseSearchDoc" WHERE "caseId" = case_id;
    IF doc_id IS NULL THEN RETURN; END IF;
    DELETE FROM "search"."CaseSearch" WHERE "docId" = doc_id;
    DELETE FROM "search"."CaseSearchProtected" WHERE "docId" = doc_id;
    SELECT * INTO c FROM "Case" WHERE "id" = case_id;
    IF NOT FOUND THEN RETURN; END IF;
    protected := c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation";
    INSERT INTO "search"."CaseSearch" ("docId", "doc") VALUES (doc_id,
        "search".vec(c."code", 'A') || "search".vec(c."summary", 'C') || "search".vec(c."content", 'D')
        || "search".vec((SELECT string_agg(p."name", ' ') FROM "CaseParty" p
                          WHERE p."caseId" = case_id AND (p."role" = 'respondent' OR NOT protected)), 'B'));
    IF protected THEN
        INSERT INTO "search"."CaseSearchProtected" ("docId", "identity") VALUES (doc_id,
            "search".vec((SELECT string_agg(p."name" || ' ' || coalesce(p."idNumber", '') || ' ' || coalesce(p."phone", ''), ' ')
                            FROM "CaseParty" p WHERE p."caseId" = case_id AND p."role" <> 'respondent'), 'D'));
    END IF;
END $$;

CREATE FUNCTION "search".case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "CaseSearchDoc" ("caseId") VALUES (NEW."id");
        PERFORM "search".reindex_case(NEW."id");
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM "search".reindex_case(NEW."id");
    ELSE
        PERFORM "search".reindex_case(OLD."id");
        DELETE FROM "CaseSearchDoc" WHERE "caseId" = OLD."id";
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" FOR EACH ROW EXECUTE FUNCTION "search".case_changed();
CREATE TRIGGER "Case_search_update" AFTER UPDATE OF "code", "summary", "content", "kind", "wasDenunciation" ON "Case" FOR EACH ROW
    WHEN (OLD."code" IS DISTINCT FROM NEW."code" OR OLD."summary" IS DISTINCT FROM NEW."summary" OR OLD."content" IS DISTINCT FROM NEW."content"
       OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."wasDenunciation" IS DISTINCT FROM NEW."wasDenunciation")
    EXECUTE FUNCTION "search".case_changed();
CREATE TRIGGER "Case_search_delete" AFTER DELETE ON "Case" FOR EACH ROW EXECUTE FUNCTION "search".case_changed();

-- A party added, renamed, given another role or removed: its case's rows (both cases' when it moved) are rebuilt.
CREATE FUNCTION "search".party_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM "search".reindex_case(OLD."caseId"); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."caseId" IS DISTINCT FROM OLD."caseId") THEN PERFORM "search".reindex_case(NEW."caseId"); END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "CaseParty_search_insert" AFTER INSERT ON "CaseParty" FOR EACH ROW EXECUTE FUNCTION "search".party_changed();
CREATE TRIGGER "CaseParty_search_update" AFTER UPDATE OF "caseId", "role", "name", "idNumber", "phone" ON "CaseParty" FOR EACH ROW
    EXECUTE FUNCTION "search".party_changed();
CREATE TRIGGER "CaseParty_search_delete" AFTER DELETE ON "CaseParty" FOR EACH ROW EXECUTE FUNCTION "search".party_changed();
