// Reads the local mail catcher's inbox through its REST API (GET /api/email): used by tests, which
// must not import maildev itself.
import { z } from "zod";

export interface CaughtEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const caughtSchema = z.array(
  z.object({
    to: z.array(z.object({ address: z.string() })),
    subject: z.string(),
    text: z.string().default(""),
    html: z.string().default(""),
  }),
);

/** Every email the catcher holds for `to` (oldest first), read through its REST API. */
export async function readInbox(webUrl: string, to: string): Promise<CaughtEmail[]> {
  const response = await fetch(`${webUrl}/api/email`);
  if (!response.ok) throw new Error(`mail catcher answered ${response.status}`);
  const wanted = to.toLowerCase();
  return caughtSchema
    .parse(await response.json())
    .map((email) => ({ ...email, to: email.to.map((recipient) => recipient.address.toLowerCase()) }))
    .filter((email) => email.to.includes(wanted));
}

/** The first link in an email's text part whose path is `path` (e.g. "/verify-email"). */
export function linkIn(email: CaughtEmail, path: string): URL {
  for (const match of email.text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match[0]);
    if (url.pathname === path) return url;
  }
  throw new Error(`no ${path} link in "${email.subject}"`);
}
