import { randomUUID } from "node:crypto";
import hkdf from "@panva/hkdf";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

// next-auth's session token, in next-auth's own format (next-auth/jwt encode and decode in 4.24: a
// JWE, "dir" with A256GCM, under a key derived by HKDF from NEXTAUTH_SECRET), with one difference:
// the derived key is kept. next-auth derives it again on every read of a session, and again to
// re-issue the cookie, which was the largest single item of a signed-in API call in bench:spend's
// profile (about 0.45 ms a request). Tokens pass both ways between these and next-auth's own
// functions (./session-token.test.ts), so sessions issued before this change stay valid.

const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** next-auth accepts a token up to this many seconds past its expiry (clock skew between instances). */
const CLOCK_TOLERANCE_SECONDS = 15;

/** Derived keys by secret and salt: a deployment has one secret (two while rotating), so this stays tiny. */
const derivedKeys = new Map<string, Promise<Uint8Array>>();

function derivedEncryptionKey(secret: string | Buffer, salt: string): Promise<Uint8Array> {
  const id = `${typeof secret === "string" ? secret : secret.toString("base64")}\u0000${salt}`;
  let key = derivedKeys.get(id);
  if (!key) {
    key = hkdf("sha256", secret, salt, `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`, 32);
    // A failed derivation is not kept: the next call tries again.
    key.catch(() => derivedKeys.delete(id));
    derivedKeys.set(id, key);
  }
  return key;
}

/** next-auth's encode, with the derived key kept (see above). */
export async function encodeSessionToken({ token = {}, secret, maxAge = DEFAULT_MAX_AGE_SECONDS, salt = "" }: JWTEncodeParams): Promise<string> {
  const key = await derivedEncryptionKey(secret, salt);
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAge)
    .setJti(randomUUID())
    .encrypt(key);
}

/** next-auth's decode, with the derived key kept (see above). Throws on a token it cannot read, as next-auth's does. */
export async function decodeSessionToken({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const key = await derivedEncryptionKey(secret, salt);
  const { payload } = await jwtDecrypt(token, key, { clockTolerance: CLOCK_TOLERANCE_SECONDS });
  return payload as JWT;
}
