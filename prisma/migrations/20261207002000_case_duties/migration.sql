-- Duties (issue 13 item 2): the open duties of a case as JSON. Existing cases keep NULL here until the
-- server's start-up back-fill (CaseService.backfillDuties) replays their history, which also rewrites their
-- dueDate/deadlineRule to the nearest open duty. No index: the work queue keeps reading Case.dueDate.
ALTER TABLE "Case" ADD COLUMN "openDuties" TEXT;
