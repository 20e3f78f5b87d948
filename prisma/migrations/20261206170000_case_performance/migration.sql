-- Issue 15: the clerk's pages at a million cases.

-- Case counts per (unit, state), kept by triggers so every write path (the product, imports, the bench
-- seeder's raw INSERTs) maintains it: the work queue's total is a sum over the actor's units instead of a
-- COUNT over every case of the province.
CREATE TABLE "CaseTally" (
    "unitId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("unitId", "state")
);

INSERT INTO "CaseTally" ("unitId", "state", "n") SELECT "unitId", "state", COUNT(*) FROM "Case" GROUP BY "unitId", "state";

CREATE TRIGGER "Case_tally_insert" AFTER INSERT ON "Case" BEGIN
    INSERT INTO "CaseTally" ("unitId", "state", "n") VALUES (NEW."unitId", NEW."state", 1)
        ON CONFLICT ("unitId", "state") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "Case_tally_update" AFTER UPDATE OF "unitId", "state" ON "Case"
    WHEN OLD."unitId" IS NOT NEW."unitId" OR OLD."state" IS NOT NEW."state" BEGIN
    UPDATE "CaseTally" SET "n" = "n" - 1 WHERE "unitId" = OLD."unitId" AND "state" = OLD."state";
    INSERT INTO "CaseTally" ("unitId", "state", "n") VALUES (NEW."unitId", NEW."state", 1)
        ON CONFLICT ("unitId", "state") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "Case_tally_delete" AFTER DELETE ON "Case" BEGIN
    UPDATE "CaseTally" SET "n" = "n" - 1 WHERE "unitId" = OLD."unitId" AND "state" = OLD."state";
END;

-- The work queue's order (nearest deadline first, then newest, then code): the first page is read in
-- index order and stops after one page instead of sorting every case.
CREATE INDEX "Case_dueDate_receivedDate_code_idx" ON "Case"("dueDate", "receivedDate" DESC, "code");

-- Covering index of the quarterly report's single pass: the period's cases are read from the index alone.
CREATE INDEX "Case_report_idx" ON "Case"("receivedDate", "unitId", "kind", "state", "withinCompetence", "acceptedDate", "dueDate");
