-- Days of the working calendar have a kind (issue 13, item 6): holiday, dayOff (a weekday given off in
-- exchange) or workingDay (the weekend day worked instead). Existing rows were all days off.
ALTER TABLE "Holiday" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'holiday';
