-- Issue 15: the periodic report (quarter < 1 s, year < 2 s at a million cases) in ONE pass over its
-- covering index. Its outcome figures (resolved, on time or late, right / partly right / wrong) came from
-- reading every conclusion event of the period's cases: one index probe and one event row per case
-- (bench: ≈ 0.9 s for a quarter, 2 s for a year on their own). Each case now carries the counts of its
-- conclusion events (every round), kept by the triggers below on every write path (the product, imports,
-- the bench seeder), and the report index carries them.
--
-- Columns added in place (ALTER TABLE): redefining "Case" would drop the tally and search triggers.
ALTER TABLE "Case" ADD COLUMN "conclusions" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "concludedOnTime" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "outcomeRight" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "outcomePartlyRight" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "outcomeWrong" INTEGER NOT NULL DEFAULT 0;

-- The rules of caseStatistics as they were in JavaScript: on time when the event has no deadline at the
-- conclusion, or a decision date on or before it (an empty text counts as none); an outcome counts only
-- when it is one of the three. The same expressions in every trigger and in the back-fill.
UPDATE "Case" SET
    "conclusions" = t."n", "concludedOnTime" = t."onTime", "outcomeRight" = t."right", "outcomePartlyRight" = t."partlyRight", "outcomeWrong" = t."wrong"
  FROM (SELECT "caseId", COUNT(*) AS "n",
               SUM(coalesce(json_extract("data", '$.dueAtConclusion'), '') = ''
                   OR (coalesce(json_extract("data", '$.decisionDate'), '') <> '' AND json_extract("data", '$.decisionDate') <= json_extract("data", '$.dueAtConclusion'))) AS "onTime",
               SUM(json_extract("data", '$.outcome') IS 'right') AS "right",
               SUM(json_extract("data", '$.outcome') IS 'partlyRight') AS "partlyRight",
               SUM(json_extract("data", '$.outcome') IS 'wrong') AS "wrong"
          FROM "CaseEvent" WHERE "action" = 'conclude' GROUP BY "caseId") AS t
 WHERE "Case"."id" = t."caseId";

CREATE TRIGGER "CaseEvent_conclusion_insert" AFTER INSERT ON "CaseEvent" WHEN NEW."action" = 'conclude' BEGIN
    UPDATE "Case" SET
        "conclusions" = "conclusions" + 1,
        "concludedOnTime" = "concludedOnTime" + (coalesce(json_extract(NEW."data", '$.dueAtConclusion'), '') = ''
            OR (coalesce(json_extract(NEW."data", '$.decisionDate'), '') <> '' AND json_extract(NEW."data", '$.decisionDate') <= json_extract(NEW."data", '$.dueAtConclusion'))),
        "outcomeRight" = "outcomeRight" + (json_extract(NEW."data", '$.outcome') IS 'right'),
        "outcomePartlyRight" = "outcomePartlyRight" + (json_extract(NEW."data", '$.outcome') IS 'partlyRight'),
        "outcomeWrong" = "outcomeWrong" + (json_extract(NEW."data", '$.outcome') IS 'wrong')
      WHERE "id" = NEW."caseId";
END;

-- Events are append-only (hash-chained); a deleted one (tests, retention of a whole case) is taken back.
CREATE TRIGGER "CaseEvent_conclusion_delete" AFTER DELETE ON "CaseEvent" WHEN OLD."action" = 'conclude' BEGIN
    UPDATE "Case" SET
        "conclusions" = "conclusions" - 1,
        "concludedOnTime" = "concludedOnTime" - (coalesce(json_extract(OLD."data", '$.dueAtConclusion'), '') = ''
            OR (coalesce(json_extract(OLD."data", '$.decisionDate'), '') <> '' AND json_extract(OLD."data", '$.decisionDate') <= json_extract(OLD."data", '$.dueAtConclusion'))),
        "outcomeRight" = "outcomeRight" - (json_extract(OLD."data", '$.outcome') IS 'right'),
        "outcomePartlyRight" = "outcomePartlyRight" - (json_extract(OLD."data", '$.outcome') IS 'partlyRight'),
        "outcomeWrong" = "outcomeWrong" - (json_extract(OLD."data", '$.outcome') IS 'wrong')
      WHERE "id" = OLD."caseId";
END;

-- The report's covering index, now with the conclusion counts.
DROP INDEX "Case_report_idx";
CREATE INDEX "Case_report_idx" ON "Case"("receivedDate", "unitId", "kind", "state", "withinCompetence", "acceptedDate", "dueDate", "conclusions", "concludedOnTime", "outcomeRight", "outcomePartlyRight", "outcomeWrong");
