-- Access tokens carry the account's version; deactivating, re-roling, moving or resetting bumps it.
ALTER TABLE "User" ADD COLUMN "tokenVersion" INTEGER NOT NULL DEFAULT 0;
