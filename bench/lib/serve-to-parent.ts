// How a floor server (a child process of a bench) starts and stops: it tells its parent the port it
// listens on, and ends, pool and all, when the parent disconnects.
import type http from "node:http";
import type pg from "pg";

export function serveToParent(server: http.Server, pool: pg.Pool): void {
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send?.({ type: "listening", port: typeof address === "object" && address ? address.port : 0 });
  });
  process.on("disconnect", () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
