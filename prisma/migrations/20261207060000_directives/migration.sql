-- CreateTable
CREATE TABLE "MeetingMinutes" (
    "meetingId" TEXT NOT NULL PRIMARY KEY,
    "notes" TEXT NOT NULL DEFAULT '',
    "secretaryUserId" TEXT,
    "noticeNumber" TEXT,
    "place" TEXT,
    "signerName" TEXT,
    "signerTitle" TEXT,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MeetingMinutes_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MeetingConclusion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "meetingId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MeetingConclusion_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Directive" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "meetingId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "expectedReport" TEXT NOT NULL,
    "issuerUnitId" TEXT NOT NULL,
    "addressedTo" TEXT NOT NULL,
    "dueKind" TEXT NOT NULL,
    "dueDays" INTEGER,
    "issuedOn" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Directive_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectiveTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "directiveId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "completedOn" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DirectiveTask_directiveId_fkey" FOREIGN KEY ("directiveId") REFERENCES "Directive" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectiveReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DirectiveReport_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "DirectiveTask" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectiveAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DirectiveAttachment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "DirectiveTask" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "MeetingConclusion_meetingId_seq_key" ON "MeetingConclusion"("meetingId", "seq");

-- CreateIndex
CREATE INDEX "Directive_issuerUnitId_issuedOn_idx" ON "Directive"("issuerUnitId", "issuedOn");

-- CreateIndex
CREATE UNIQUE INDEX "Directive_meetingId_seq_key" ON "Directive"("meetingId", "seq");

-- CreateIndex
CREATE INDEX "DirectiveTask_unitId_status_dueDate_idx" ON "DirectiveTask"("unitId", "status", "dueDate");

-- CreateIndex
CREATE INDEX "DirectiveTask_status_dueDate_idx" ON "DirectiveTask"("status", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "DirectiveTask_directiveId_unitId_key" ON "DirectiveTask"("directiveId", "unitId");

-- CreateIndex
CREATE INDEX "DirectiveReport_taskId_at_idx" ON "DirectiveReport"("taskId", "at");

-- CreateIndex
CREATE INDEX "DirectiveAttachment_taskId_idx" ON "DirectiveAttachment"("taskId");

-- CreateIndex
CREATE INDEX "DirectiveAttachment_sha256_idx" ON "DirectiveAttachment"("sha256");
