-- CreateTable
CREATE TABLE "CaseClock" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CaseClock_pkey" PRIMARY KEY ("id")
);

-- The SQLite migration 20261207180000_case_clock says why. Here the clock moves at the writer's COMMIT, once
-- per transaction: deferred constraint triggers, the first of which sets a transaction-local flag. Moved at
-- each statement instead, the row stayed locked from a writer's first statement to its commit, so a long
-- transaction over several cases and a clerk's step on one of them could each wait for the other: a
-- deadlock, one aborted (test/integration/notification-bell.test.ts). Now the lock is taken last and held
-- only through the commit. Readers still see the number and the write together (same transaction).
INSERT INTO "CaseClock" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "CaseClock_tick"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cau_noi.case_clock_moved', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('cau_noi.case_clock_moved', 'on', true);
    UPDATE "CaseClock" SET "version" = ("version" + 1) % 1000000000 WHERE "id" = 1;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "Case_clock" AFTER INSERT OR UPDATE OR DELETE ON "Case" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "CaseClock_tick"();
CREATE CONSTRAINT TRIGGER "CaseParty_clock" AFTER INSERT OR UPDATE OR DELETE ON "CaseParty" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "CaseClock_tick"();
CREATE CONSTRAINT TRIGGER "Unit_clock_path" AFTER UPDATE OF "path" ON "Unit" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD."path" IS DISTINCT FROM NEW."path") EXECUTE FUNCTION "CaseClock_tick"();
