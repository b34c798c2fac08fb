import { getServerSession } from "next-auth";
import { getUserById, type PublicUser } from "../users/queries";
import { authOptions } from "./options";

export type CurrentUser = PublicUser;

/** The signed-in user, re-read from the database so a deleted user or a changed role takes effect at once. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return id ? getUserById(id) : null;
}
