import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (OWASP-recommended); prebuilt, no install script.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A hash of a random secret made with the same parameters as real ones, so checking against it
// costs what a real check costs. Nothing can match it: nobody knows the secret.
let dummyHash: Promise<string> | undefined;

/** Spends the time of one real password check, for unknown emails and accounts without a password. */
export async function verifyPasswordAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(32).toString("base64url"));
  await verifyPassword(await dummyHash, password);
  return false;
}
