-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "inviteSequence" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "UnitCertificate" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "p12" BYTEA NOT NULL,
    "passwordSealed" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "commonName" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UnitCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingMinutes" (
    "meetingId" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "secretaryUserId" TEXT,
    "noticeNumber" TEXT,
    "place" TEXT,
    "signerName" TEXT,
    "signerTitle" TEXT,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingMinutes_pkey" PRIMARY KEY ("meetingId")
);

-- CreateTable
CREATE TABLE "MeetingConclusion" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingConclusion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Directive" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Directive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectiveTask" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "completedOn" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectiveTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectiveReport" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectiveReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectiveAttachment" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectiveAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailSettings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "host" TEXT NOT NULL DEFAULT '',
    "port" INTEGER NOT NULL DEFAULT 587,
    "security" TEXT NOT NULL DEFAULT 'starttls',
    "username" TEXT,
    "passwordSealed" TEXT,
    "fromAddress" TEXT NOT NULL DEFAULT '',
    "fromName" TEXT,
    "caCertPem" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "MailSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "toAddress" TEXT NOT NULL,
    "toName" TEXT,
    "userId" TEXT,
    "subject" TEXT NOT NULL,
    "textBody" TEXT NOT NULL,
    "icsMethod" TEXT,
    "ics" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "serverResponse" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UnitCertificate_unitId_key" ON "UnitCertificate"("unitId");

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

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_dedupeKey_key" ON "MailMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "MailMessage_status_nextAttemptAt_idx" ON "MailMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "MailMessage_createdAt_idx" ON "MailMessage"("createdAt");

-- AddForeignKey
ALTER TABLE "UnitCertificate" ADD CONSTRAINT "UnitCertificate_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingMinutes" ADD CONSTRAINT "MeetingMinutes_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingConclusion" ADD CONSTRAINT "MeetingConclusion_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Directive" ADD CONSTRAINT "Directive_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectiveTask" ADD CONSTRAINT "DirectiveTask_directiveId_fkey" FOREIGN KEY ("directiveId") REFERENCES "Directive"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectiveReport" ADD CONSTRAINT "DirectiveReport_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "DirectiveTask"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectiveAttachment" ADD CONSTRAINT "DirectiveAttachment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "DirectiveTask"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
