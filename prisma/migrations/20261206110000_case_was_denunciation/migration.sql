-- A petition that is or ever was a denunciation keeps its petitioner protected (issue 11, item 2).
ALTER TABLE "Case" ADD COLUMN "wasDenunciation" BOOLEAN NOT NULL DEFAULT false;

-- Backfill from the current kind and from every classification in the history.
UPDATE "Case" SET "wasDenunciation" = true
WHERE "kind" = 'denunciation'
   OR "id" IN (SELECT "caseId" FROM "CaseEvent" WHERE "action" = 'classify' AND "data" LIKE '%"kind":"denunciation"%');
