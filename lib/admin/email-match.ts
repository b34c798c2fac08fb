// The one rule for the admin console's email filters (user search, entries): what the admin
// typed is a part of the address, in any case. "ALICE" finds alice@example.com, and so does
// "example.com", with everyone else there. "%" and "_" are matched as themselves, not as wildcards.

/** The Prisma filter for an email column. Prisma puts `contains` into LIKE as it is, so its wildcards are escaped here. */
export function emailContains(query: string): { contains: string; mode: "insensitive" } {
  return { contains: escapeLike(query.trim()), mode: "insensitive" };
}

/** The pattern for raw SQL: `email ILIKE $n ESCAPE '\'`. */
export function emailLikePattern(query: string): string {
  return `%${escapeLike(query.trim())}%`;
}

/** LIKE's wildcards and its escape character (PostgreSQL's default, backslash) as plain characters. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (special) => `\\${special}`);
}
