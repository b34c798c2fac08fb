// npm run db:migrate: apply prisma/migrations to DATABASE_URL (see README, "Offline migrations").
import { migrate } from "../lib/core/migrations";
import { databaseUrl } from "../lib/core/prisma";

const applied = await migrate(databaseUrl());
console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database schema is up to date.");
