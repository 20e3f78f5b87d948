-- CreateTable
CREATE TABLE "ReceptionSchedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReceptionSchedule_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReceptionSlot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scheduleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "capacity" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "booked" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReceptionSlot_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "ReceptionSchedule" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ReceptionSlot_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "joinTokenUsedAt" DATETIME,
    "cancelSecretHash" TEXT NOT NULL,
    "createdIp" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" DATETIME,
    CONSTRAINT "Booking_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "ReceptionSlot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Booking_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BookingAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bookingId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BookingAttachment_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReceptionSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "unitId" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "shape" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hostUserId" TEXT NOT NULL,
    "bookingId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "consentAt" DATETIME,
    "consentGiven" BOOLEAN,
    "recordingId" TEXT,
    "caseId" TEXT,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReceptionSession_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ReceptionSession_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReceptionSessionUnit" (
    "sessionId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    PRIMARY KEY ("sessionId", "unitId"),
    CONSTRAINT "ReceptionSessionUnit_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ReceptionSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReceptionSessionUnit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReceptionBookEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "unitId" TEXT NOT NULL,
    "sessionId" TEXT,
    "bookingId" TEXT,
    "receivedAt" DATETIME NOT NULL,
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
    "citizenConfirmedAt" DATETIME,
    "confirmationMethod" TEXT,
    "conclusion" TEXT,
    "conclusionIssuedAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReceptionBookEntry_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ReceptionBookEntry_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ReceptionSession" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ReceptionBookEntry_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReceptionCitizen" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "entryId" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "cccd" TEXT,
    "phone" TEXT,
    CONSTRAINT "ReceptionCitizen_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "ReceptionBookEntry" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

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
