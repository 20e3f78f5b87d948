-- Issue 15 item 2: the notification bell, polled by every staff page, keeps its answers between polls while
-- nothing it reads has changed. What it reads: the cases (deadline, assignee, unit, code, summary, kind),
-- their parties (a protected petitioner's identity is masked out of the summary) and the units' paths
-- (whose subtree a case is in). Every write of those moves this number, by triggers, so every write path
-- (the product, a calendar edit's recomputation, retention, the bench seeder's raw INSERTs) moves it, in
-- the writer's transaction: a reader that sees the number also sees the write. One row, compared for
-- equality only; it wraps below 10^9 so it fits PostgreSQL's INTEGER.
CREATE TABLE "CaseClock" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0
);

INSERT INTO "CaseClock" ("id", "version") VALUES (1, 0);

CREATE TRIGGER "Case_clock_insert" AFTER INSERT ON "Case" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
CREATE TRIGGER "Case_clock_update" AFTER UPDATE ON "Case" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
CREATE TRIGGER "Case_clock_delete" AFTER DELETE ON "Case" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
CREATE TRIGGER "CaseParty_clock_insert" AFTER INSERT ON "CaseParty" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
CREATE TRIGGER "CaseParty_clock_update" AFTER UPDATE ON "CaseParty" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
CREATE TRIGGER "CaseParty_clock_delete" AFTER DELETE ON "CaseParty" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
CREATE TRIGGER "Unit_clock_path" AFTER UPDATE OF "path" ON "Unit" WHEN OLD."path" IS NOT NEW."path" BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
END;
