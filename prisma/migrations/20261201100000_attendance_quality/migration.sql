-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN "poorShare" REAL;
ALTER TABLE "Attendance" ADD COLUMN "qualityDown" REAL;
ALTER TABLE "Attendance" ADD COLUMN "qualityUp" REAL;
