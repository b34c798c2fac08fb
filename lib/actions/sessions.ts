"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signOutEverywhere } from "@/lib/accounts";
import { forgetSessionCookie } from "@/lib/accounts";
import { userAction } from "@/lib/accounts";

// "Sign out of all devices": every session of the signed-in user ends, this browser's too, which is
// then sent to sign in again.
export const signOutOfAllDevices = userAction(
  z.object({}),
  async (_fields, user) => {
    await signOutEverywhere(user.id);
    await forgetSessionCookie();
    redirect("/signin?signedOut=everywhere");
  },
  { returnTo: "/signout", failureMessage: "We couldn't sign you out everywhere just now. Your sessions are unchanged; please try again." },
);
