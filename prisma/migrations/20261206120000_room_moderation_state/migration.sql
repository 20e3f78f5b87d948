-- A live room's moderation, kept across restarts of the signaling process (issue 12 item 3).
CREATE TABLE "RoomModerationState" (
    "roomId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
