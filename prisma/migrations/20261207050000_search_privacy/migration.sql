-- A denouncer often names themself in the letter ("Tôi là …", a CCCD, a phone number), and a clerk may
-- repeat the name in the summary. "CaseSearch" indexes summary and content as written, so a search for a
-- protected petitioner's name found their case through the letter even though the name was never in
-- the index's "names" column: the hit itself tells the searcher who denounced.
--
-- "CaseSearchProtected" holds, for each protected case only (casePolicy's identityProtected: unclassified,
-- a denunciation, or one that ever was), the identity of its protected parties (everyone but the
-- respondent): name, CCCD and phone, folded like "CaseSearch". A search term that matches this identity
-- and not a name the case shows to every reader (its "names" column: the respondent) drops the case from
-- the hits (caseQueries.searchPage). Addresses are not held: their words ("thôn", "xã", "số") are in
-- nearly every query and would hide every protected case.
--
-- Kept by triggers on every write path, like "CaseSearch". Its rowid is the case's "CaseSearchDoc"."docId".
-- A case's parties are written after the case itself, so the case's own INSERT needs no trigger here.
CREATE VIRTUAL TABLE "CaseSearchProtected" USING fts5(
    "identity",
    content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2"
);

INSERT INTO "CaseSearchProtected" (rowid, "identity")
SELECT d."docId",
       (SELECT group_concat(replace(replace(p."name" || ' ' || coalesce(p."idNumber", '') || ' ' || coalesce(p."phone", ''), 'đ', 'd'), 'Đ', 'D'), ' ')
          FROM "CaseParty" p WHERE p."caseId" = c."id" AND p."role" <> 'respondent')
  FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id"
 WHERE c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation";

CREATE TRIGGER "Case_protected_update" AFTER UPDATE OF "kind", "wasDenunciation" ON "Case"
    WHEN OLD."kind" IS NOT NEW."kind" OR OLD."wasDenunciation" IS NOT NEW."wasDenunciation" BEGIN
    DELETE FROM "CaseSearchProtected" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = NEW."id");
    INSERT INTO "CaseSearchProtected" (rowid, "identity")
    SELECT d."docId",
           (SELECT group_concat(replace(replace(p."name" || ' ' || coalesce(p."idNumber", '') || ' ' || coalesce(p."phone", ''), 'đ', 'd'), 'Đ', 'D'), ' ')
              FROM "CaseParty" p WHERE p."caseId" = NEW."id" AND p."role" <> 'respondent')
      FROM "CaseSearchDoc" d
     WHERE d."caseId" = NEW."id" AND (NEW."kind" IS NULL OR NEW."kind" = 'denunciation' OR NEW."wasDenunciation");
END;

-- BEFORE: "Case_search_delete" (AFTER) removes the case's "CaseSearchDoc" row, and with it the rowid.
CREATE TRIGGER "Case_protected_delete" BEFORE DELETE ON "Case" BEGIN
    DELETE FROM "CaseSearchProtected" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = OLD."id");
END;

CREATE TRIGGER "CaseParty_protected_insert" AFTER INSERT ON "CaseParty" BEGIN
    DELETE FROM "CaseSearchProtected" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = NEW."caseId");
    INSERT INTO "CaseSearchProtected" (rowid, "identity")
    SELECT d."docId",
           (SELECT group_concat(replace(replace(p."name" || ' ' || coalesce(p."idNumber", '') || ' ' || coalesce(p."phone", ''), 'đ', 'd'), 'Đ', 'D'), ' ')
              FROM "CaseParty" p WHERE p."caseId" = c."id" AND p."role" <> 'respondent')
      FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id"
     WHERE c."id" = NEW."caseId" AND (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation");
END;

CREATE TRIGGER "CaseParty_protected_update" AFTER UPDATE OF "caseId", "role", "name", "idNumber", "phone" ON "CaseParty" BEGIN
    DELETE FROM "CaseSearchProtected" WHERE rowid IN (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" IN (OLD."caseId", NEW."caseId"));
    INSERT INTO "CaseSearchProtected" (rowid, "identity")
    SELECT d."docId",
           (SELECT group_concat(replace(replace(p."name" || ' ' || coalesce(p."idNumber", '') || ' ' || coalesce(p."phone", ''), 'đ', 'd'), 'Đ', 'D'), ' ')
              FROM "CaseParty" p WHERE p."caseId" = c."id" AND p."role" <> 'respondent')
      FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id"
     WHERE c."id" IN (OLD."caseId", NEW."caseId") AND (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation");
END;

CREATE TRIGGER "CaseParty_protected_delete" AFTER DELETE ON "CaseParty" BEGIN
    DELETE FROM "CaseSearchProtected" WHERE rowid = (SELECT "docId" FROM "CaseSearchDoc" WHERE "caseId" = OLD."caseId");
    INSERT INTO "CaseSearchProtected" (rowid, "identity")
    SELECT d."docId",
           (SELECT group_concat(replace(replace(p."name" || ' ' || coalesce(p."idNumber", '') || ' ' || coalesce(p."phone", ''), 'đ', 'd'), 'Đ', 'D'), ' ')
              FROM "CaseParty" p WHERE p."caseId" = c."id" AND p."role" <> 'respondent')
      FROM "Case" c JOIN "CaseSearchDoc" d ON d."caseId" = c."id"
     WHERE c."id" = OLD."caseId" AND (c."kind" IS NULL OR c."kind" = 'denunciation' OR c."wasDenunciation");
END;
