-- CreateTable
CREATE TABLE "CaseClock" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CaseClock_pkey" PRIMARY KEY ("id")
);

-- The SQLite migration 20261207180000_case_clock says why. Statement-level here: one move per statement,
-- however many rows it writes. The row's lock is held to the writer's commit, so writes of cases take
-- turns at this row (SQLite has one writer anyway). BEFORE the statement, so a writer takes the clock's
-- row before any row of the statement: fired after, a clerk's step held its case while it waited for the
-- clock, and a transaction over several cases holding the clock then waited for that case — a deadlock,
-- one of them aborted (test/integration/notification-bell.test.ts, PostgreSQL pass).
INSERT INTO "CaseClock" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "CaseClock_tick"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER "Case_clock" BEFORE INSERT OR UPDATE OR DELETE ON "Case" FOR EACH STATEMENT EXECUTE FUNCTION "CaseClock_tick"();
CREATE TRIGGER "CaseParty_clock" BEFORE INSERT OR UPDATE OR DELETE ON "CaseParty" FOR EACH STATEMENT EXECUTE FUNCTION "CaseClock_tick"();
CREATE TRIGGER "Unit_clock_path" BEFORE UPDATE OF "path" ON "Unit" FOR EACH STATEMENT EXECUTE FUNCTION "CaseClock_tick"();
