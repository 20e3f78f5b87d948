-- Issue 15 item 4: case search over codes, summaries, content and the names a reader may see.
--
-- "CaseSearch" is a contentless FTS5 index (nothing is stored twice; contentless_delete lets a trigger
-- drop a case's row): the unicode61 tokenizer with remove_diacritics 2 folds case and Vietnamese tone and
-- vowel marks ("Nguyễn" = "nguyen"). "đ"/"Đ" is a letter of its own, not a d with a mark, so it is folded
-- to "d" here and in the query (signaling/commands/caseQueries.ts, ftsMatch).
--
-- Names: a protected petitioner's (casePolicy's identityProtected: unclassified, a denunciation, or one
-- that ever was) and their representative's never enter the index, so a hit can never reveal who
-- denounced; the respondent's name is shown to every reader, so it is indexed. The triggers below keep
-- this true on every write path (the product, imports, the bench seeder's raw INSERTs), including when a
-- case becomes protected: its row is rebuilt without those names.
--
-- "CaseSearchDoc" gives each case a stable integer key for the FTS rowid: Case's own rowid is implicit
-- (its key is a TEXT cuid) and VACUUM may renumber it.
CREATE TABLE "CaseSearchDoc" (
    "docId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" TEXT NOT NULL
);

CREATE UNIQUE INDEX "CaseSearchDoc_caseId_key" ON "CaseSearchDoc"("caseId");

CREATE VIRTUAL TABLE "CaseSearch" USING fts5(
    "code", "summary", "body", "names",
    content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2"
);

INSERT INTO "CaseSearchDoc" ("caseId") SELECT "id" FROM "Case" ORDER BY "id";

INSERT INTO "CaseSearch" (rowid, "code", "summary", "body", "names")
SELECT d."docId", c."code",
       replace(replace(c."summary", 'đ', 'd'), 'Đ', 'D'),
       replace(replace(c."content", 'đ', 'd'), 'Đ', 'D'),
       (SELECT group_concat(replace(replace(p."name", 'đ', 'd'), 'Đ', 'D'), ' ') FROM "CaseParty" p
         WHERE p."caseId" = c."id" AND (p."role" = 'respondent' OR NOT (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation")))
  FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id";

CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" BEGIN
    INSERT INTO "CaseSearchDoc" ("caseId") VALUES (NEW."id");
    INSERT INTO "CaseSearch" (rowid, "code", "summary", "body", "names")
    SELECT d."docId", NEW."code",
           replace(replace(NEW."summary", 'đ', 'd'), 'Đ', 'D'),
           replace(replace(NEW."content", 'đ', 'd'), 'Đ', 'D'),
           (SELECT group_concat(replace(replace(p."name", 'đ', 'd'), 'Đ', 'D'), ' ') FROM "CaseParty" p
             WHERE p."caseId" = NEW."id" AND (p."role" = 'respondent' OR NOT (NEW."kind" IS NULL OR NEW."kind" = 'denunciation' OR NEW."wasDenunciation")))
      FROM "CaseSearchDoc" d WHERE d."caseId" = NEW."id";
END;

CREATE TRIGGER "Case_search_update" AFTER UPDATE OF "code", "summary", "content", "kind", "wasDenunciation" ON "Case"
    WHEN OLD."code" IS NOT NEW."code" OR OLD."summary" IS NOT NEW."summary" OR OLD."content" IS NOT NEW."content"
      OR OLD."kind" IS NOT NEW."kind" OR OLD."wasDenunciation" IS NOT NEW."wasDenunciation" BEGIN
    DELETE FROM "CaseSearch" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = NEW."id");
    INSERT INTO "CaseSearch" (rowid, "code", "summary", "body", "names")
    SELECT d."docId", NEW."code",
           replace(replace(NEW."summary", 'đ', 'd'), 'Đ', 'D'),
           replace(replace(NEW."content", 'đ', 'd'), 'Đ', 'D'),
           (SELECT group_concat(replace(replace(p."name", 'đ', 'd'), 'Đ', 'D'), ' ') FROM "CaseParty" p
             WHERE p."caseId" = NEW."id" AND (p."role" = 'respondent' OR NOT (NEW."kind" IS NULL OR NEW."kind" = 'denunciation' OR NEW."wasDenunciation")))
      FROM "CaseSearchDoc" d WHERE d."caseId" = NEW."id";
END;

CREATE TRIGGER "Case_search_delete" AFTER DELETE ON "Case" BEGIN
    DELETE FROM "CaseSearch" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = OLD."id");
    DELETE FROM "CaseSearchDoc" WHERE "caseId" = OLD."id";
END;

-- A party added, renamed, given another role or removed: its case's row is rebuilt from the stored case.
CREATE TRIGGER "CaseParty_search_insert" AFTER INSERT ON "CaseParty" BEGIN
    DELETE FROM "CaseSearch" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = NEW."caseId");
    INSERT INTO "CaseSearch" (rowid, "code", "summary", "body", "names")
    SELECT d."docId", c."code",
           replace(replace(c."summary", 'đ', 'd'), 'Đ', 'D'),
           replace(replace(c."content", 'đ', 'd'), 'Đ', 'D'),
           (SELECT group_concat(replace(replace(p."name", 'đ', 'd'), 'Đ', 'D'), ' ') FROM "CaseParty" p
             WHERE p."caseId" = c."id" AND (p."role" = 'respondent' OR NOT (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation")))
      FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id" WHERE c."id" = NEW."caseId";
END;

CREATE TRIGGER "CaseParty_search_update" AFTER UPDATE OF "caseId", "role", "name" ON "CaseParty" BEGIN
    DELETE FROM "CaseSearch" WHERE rowid IN (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" IN (OLD."caseId", NEW."caseId"));
    INSERT INTO "CaseSearch" (rowid, "code", "summary", "body", "names")
    SELECT d."docId", c."code",
           replace(replace(c."summary", 'đ', 'd'), 'Đ', 'D'),
           replace(replace(c."content", 'đ', 'd'), 'Đ', 'D'),
           (SELECT group_concat(replace(replace(p."name", 'đ', 'd'), 'Đ', 'D'), ' ') FROM "CaseParty" p
             WHERE p."caseId" = c."id" AND (p."role" = 'respondent' OR NOT (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation")))
      FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id" WHERE c."id" IN (OLD."caseId", NEW."caseId");
END;

CREATE TRIGGER "CaseParty_search_delete" AFTER DELETE ON "CaseParty" BEGIN
    DELETE FROM "CaseSearch" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = OLD."caseId");
    INSERT INTO "CaseSearch" (rowid, "code", "summary", "body", "names")
    SELECT d."docId", c."code",
           replace(replace(c."summary", 'đ', 'd'), 'Đ', 'D'),
           replace(replace(c."content", 'đ', 'd'), 'Đ', 'D'),
           (SELECT group_concat(replace(replace(p."name", 'đ', 'd'), 'Đ', 'D'), ' ') FROM "CaseParty" p
             WHERE p."caseId" = c."id" AND (p."role" = 'respondent' OR NOT (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation")))
      FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id" WHERE c."id" = OLD."caseId";
END;
