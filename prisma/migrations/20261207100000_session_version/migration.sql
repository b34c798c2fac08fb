-- Issue 22: revocable sessions. Each JWT carries the user's session version; raising it signs out
-- every session made before. Tokens issued before this migration carry no version and are refused,
-- so everyone signs in once more.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
