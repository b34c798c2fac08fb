import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

// PostgreSQL compiled to WebAssembly, served over the ordinary wire protocol, so the app's
// `pg` driver and Prisma adapter talk to it exactly as to a server. One backend: concurrent
// transactions queue behind each other, which is fine for one developer.
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; host?: string }) {
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db, host, port: options.port, maxConnections: 32 });
  await server.start();
  return {
    url: `postgresql://postgres@${host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
