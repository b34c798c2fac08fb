import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getUserById, type PublicUser } from "../users/queries";
import { authOptions } from "./options";

export type CurrentUser = PublicUser;

/** The signed-in user, re-read from the database so a deleted user or a changed role takes effect at once. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return id ? getUserById(id) : null;
}

/** For pages and server actions: the signed-in user, or a redirect to sign-in. */
export async function requireUser(returnTo = "/wallet"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For pages and server actions: an admin, or a redirect to sign-in (signed out) / the forbidden page. */
export async function requireAdmin(returnTo = "/admin"): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (user.role !== "ADMIN") redirect("/forbidden");
  return user;
}
