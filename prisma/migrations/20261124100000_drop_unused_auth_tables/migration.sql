-- next-auth's database-session and e-mail-token tables were never used: sessions are JWTs, and
-- verification and reset links live in "AuthToken" (hashed, single-use, expiring).
DROP TABLE "Session";
DROP TABLE "VerificationToken";
