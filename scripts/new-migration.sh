#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the database from the
# schema.prisma committed at HEAD to the one in the work tree. Prisma 7's schema engine can't be
# downloaded here, so this borrows Prisma 6.19's JS (wasm) schema engine, which diffs offline.
# Usage: scripts/new-migration.sh add_something
set -euo pipefail
name="${1:?usage: scripts/new-migration.sh <name>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

to_p6() { # Prisma 6 wants the client generator and a datasource url; neither affects the SQL.
  sed -e 's/provider     = "prisma-client"/provider = "prisma-client-js"/' -e '/^  output  /d' -e '/moduleFormat/d' \
      -e 's|^  provider = "postgresql"|  provider = "postgresql"\n  url = "postgresql://unused@127.0.0.1/unused"|'
}
git -C "$root" show HEAD:prisma/schema.prisma | to_p6 > "$work/from.prisma"
to_p6 < "$root/prisma/schema.prisma" > "$work/to.prisma"
cat > "$work/prisma.config.ts" <<'TS'
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "to.prisma",
  async adapter() { return new PrismaPg({ connectionString: "postgresql://unused@127.0.0.1/unused" }); },
});
TS
echo '{"name":"migration-diff","private":true}' > "$work/package.json"
(cd "$work" && npm install --silent --no-audit --no-fund prisma@6.19 @prisma/adapter-pg@6.19 >/dev/null)
touch "$work/no-query-engine.node"
dir="$root/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
(cd "$work" && PRISMA_QUERY_ENGINE_LIBRARY="$work/no-query-engine.node" PRISMA_SCHEMA_ENGINE_BINARY="$root/scripts/schema-engine-stub.sh" \
  npx prisma migrate diff --from-schema-datamodel from.prisma --to-schema-datamodel to.prisma --script) > "$dir/migration.sql"
echo "Wrote ${dir#"$root"/}/migration.sql — review it, add any CHECK constraints by hand, then npm run db:migrate"
