-- Issue 15: the periodic report in one pass over its covering index, the conclusion counts included
-- (SQLite: prisma/migrations/20261207070000_report_conclusions, which says why).

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "conclusions" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "concludedOnTime" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outcomeRight" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outcomePartlyRight" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outcomeWrong" INTEGER NOT NULL DEFAULT 0;

-- DropIndex
DROP INDEX "Case_report_idx";

-- CreateIndex
CREATE INDEX "Case_report_idx" ON "Case"("receivedDate", "unitId", "kind", "state", "withinCompetence", "acceptedDate", "dueDate", "conclusions", "concludedOnTime", "outcomeRight", "outcomePartlyRight", "outcomeWrong");

-- One conclusion event's contribution to its case's counts (1 or 0 each), by the rules caseStatistics
-- used in JavaScript: on time when there was no deadline at the conclusion or the decision is dated on or
-- before it (an empty text counts as none); an outcome counts only when it is one of the three.
CREATE FUNCTION "Case_conclusion_counts"(data text)
    RETURNS TABLE ("onTime" integer, "right" integer, "partlyRight" integer, "wrong" integer)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (coalesce(d->>'dueAtConclusion', '') = '' OR (coalesce(d->>'decisionDate', '') <> '' AND d->>'decisionDate' <= d->>'dueAtConclusion'))::integer,
           (d->>'outcome' IS NOT DISTINCT FROM 'right')::integer,
           (d->>'outcome' IS NOT DISTINCT FROM 'partlyRight')::integer,
           (d->>'outcome' IS NOT DISTINCT FROM 'wrong')::integer
      FROM (SELECT data::jsonb AS d) AS parsed
$$;

UPDATE "Case" c SET
    "conclusions" = t."n", "concludedOnTime" = t."onTime", "outcomeRight" = t."right", "outcomePartlyRight" = t."partlyRight", "outcomeWrong" = t."wrong"
  FROM (SELECT e."caseId", COUNT(*) AS "n", SUM(k."onTime") AS "onTime", SUM(k."right") AS "right", SUM(k."partlyRight") AS "partlyRight", SUM(k."wrong") AS "wrong"
          FROM "CaseEvent" e CROSS JOIN LATERAL "Case_conclusion_counts"(e."data") k
         WHERE e."action" = 'conclude' GROUP BY e."caseId") AS t
 WHERE c."id" = t."caseId";

-- Kept on every write path; events are append-only (hash-chained), a deleted one is taken back.
CREATE FUNCTION "Case_conclusions"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ev "CaseEvent"%ROWTYPE;
    sign integer;
    k record;
BEGIN
    IF TG_OP = 'INSERT' THEN ev := NEW; sign := 1; ELSE ev := OLD; sign := -1; END IF;
    SELECT * INTO k FROM "Case_conclusion_counts"(ev."data");
    UPDATE "Case" SET
        "conclusions" = "conclusions" + sign,
        "concludedOnTime" = "concludedOnTime" + sign * k."onTime",
        "outcomeRight" = "outcomeRight" + sign * k."right",
        "outcomePartlyRight" = "outcomePartlyRight" + sign * k."partlyRight",
        "outcomeWrong" = "outcomeWrong" + sign * k."wrong"
      WHERE "id" = ev."caseId";
    RETURN NULL;
END $$;

CREATE TRIGGER "CaseEvent_conclusion_insert" AFTER INSERT ON "CaseEvent" FOR EACH ROW WHEN (NEW."action" = 'conclude') EXECUTE FUNCTION "Case_conclusions"();
CREATE TRIGGER "CaseEvent_conclusion_delete" AFTER DELETE ON "CaseEvent" FOR EACH ROW WHEN (OLD."action" = 'conclude') EXECUTE FUNCTION "Case_conclusions"();
