-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN "unitId" TEXT;
ALTER TABLE "Attendance" ADD COLUMN "userId" TEXT;

-- CreateIndex
CREATE INDEX "Attendance_unitId_idx" ON "Attendance"("unitId");
