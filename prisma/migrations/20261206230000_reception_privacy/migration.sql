-- Issue 11 items 11 and 12: reception recording rules and the denouncer's protection in the book.
ALTER TABLE "Recording" ADD COLUMN "consentWithdrawnAt" DATETIME;
ALTER TABLE "ReceptionSession" ADD COLUMN "declaredKind" TEXT;
ALTER TABLE "ReceptionSession" ADD COLUMN "identityProtected" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "ReceptionBookEntry" ADD COLUMN "wasDenunciation" BOOLEAN NOT NULL DEFAULT false;
-- Entries and sessions already about a denunciation keep their protection.
UPDATE "ReceptionBookEntry" SET "wasDenunciation" = true WHERE "petitionKind" = 'denunciation'
  OR "bookingId" IN (SELECT "id" FROM "Booking" WHERE "petitionKind" = 'denunciation');
UPDATE "ReceptionSession" SET "identityProtected" = true
  WHERE "bookingId" IN (SELECT "id" FROM "Booking" WHERE "petitionKind" = 'denunciation')
  OR "id" IN (SELECT "sessionId" FROM "ReceptionBookEntry" WHERE "petitionKind" = 'denunciation' AND "sessionId" IS NOT NULL);
