import { getServerSession } from "next-auth";
import { cache } from "react";
import { getUserById, type PublicUser } from "../users/queries";
import { authOptions } from "./options";

export type CurrentUser = PublicUser;

/**
 * The signed-in user, re-read from the database so a deleted user or a changed role takes effect at
 * once. Cached per request: the header, a layout and its page all ask, and one read answers them.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return id ? getUserById(id) : null;
});
