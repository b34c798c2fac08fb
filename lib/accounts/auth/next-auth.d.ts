import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id: string; role: "USER" | "ADMIN" };
  }
  interface User {
    role?: "USER" | "ADMIN";
    /** The user's session version when they signed in (lib/accounts/auth/options.ts). */
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: "USER" | "ADMIN";
    /** The user's session version when this session was made; a raised version ends it. */
    sv?: number;
  }
}
