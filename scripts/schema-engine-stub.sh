#!/bin/sh
# Stand-in for Prisma's schema-engine binary, which cannot be downloaded offline.
# `prisma generate` never calls it; anything that does gets a clear failure.
echo "schema-engine is not available offline: use npm run db:migrate (see README)" >&2
exit 1
