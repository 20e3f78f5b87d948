-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN "agenda" TEXT;
ALTER TABLE "Meeting" ADD COLUMN "chairUserId" TEXT;
ALTER TABLE "Meeting" ADD COLUMN "hostUnitId" TEXT;
ALTER TABLE "Meeting" ADD COLUMN "scheduledEnd" DATETIME;
ALTER TABLE "Meeting" ADD COLUMN "scheduledStart" DATETIME;

-- CreateTable
CREATE TABLE "MeetingSite" (
    "meetingId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,

    PRIMARY KEY ("meetingId", "unitId"),
    CONSTRAINT "MeetingSite_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MeetingSite_unitId_idx" ON "MeetingSite"("unitId");

-- CreateIndex
CREATE INDEX "Meeting_scheduledStart_idx" ON "Meeting"("scheduledStart");
