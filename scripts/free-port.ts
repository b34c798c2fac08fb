import net from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on right now, for servers that cannot be asked for port 0 (PostgreSQL, maildev, `next start`). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port assigned"))));
    });
  });
}
