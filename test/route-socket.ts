// A route handler behind a real socket, fed the way Next feeds it: the request body is a stream pulled
// from the connection, so a test can count how much of a body the route actually read. Each request
// runs in a request scope (test/next-request.ts), so guards and next-auth read its headers and cookies.
import { callRoute } from "./next-request";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type RouteHandler = Parameters<typeof callRoute>[0];

export interface SocketRoute {
  readonly port: number;
  /** Body bytes the route pulled from the connection since the last reset. */
  pulled(): number;
  reset(): void;
  close(): Promise<void>;
}

/** Serves `handler` (with `params`) on 127.0.0.1 at a free port. */
export async function serveOverSocket(handler: RouteHandler, params: Record<string, string | string[]> = {}): Promise<SocketRoute> {
  let bytesPulled = 0;
  const countingBody = (incoming: IncomingMessage): ReadableStream<Uint8Array> => {
    const chunks = incoming[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await chunks.next();
        if (done) return controller.close();
        const bytes = new Uint8Array(value);
        bytesPulled += bytes.byteLength;
        controller.enqueue(bytes);
      },
      async cancel() {
        await chunks.return?.();
      },
    }, { highWaterMark: 0 });
  };
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
      // `duplex: "half"` lets a Request take a streaming body; the DOM typings do not know it yet.
      const init: ConstructorParameters<typeof NextRequest>[1] & { duplex: "half" } = { method: incoming.method, headers, body: countingBody(incoming), duplex: "half" };
      // Next hands route handlers a NextRequest (next-auth reads its nextUrl).
      const response = await callRoute(handler, new NextRequest(`http://127.0.0.1${incoming.url ?? "/"}`, init), params);
      outgoing.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
      outgoing.end(await response.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    pulled: () => bytesPulled,
    reset: () => void (bytesPulled = 0),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface Sent { status: number; body: string; writtenBeforeAnswer: number }

/**
 * POSTs `total` bytes of `fill` to `url` in 16 KB writes, stopping once an answer arrives; with no
 * Content-Length header Node sends the body chunked.
 */
export function sendChunked(url: string, total: number, headers: Record<string, string> = {}, fill = "x"): Promise<Sent> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest({ host: target.hostname, port: target.port, agent: false, method: "POST", path: `${target.pathname}${target.search}`, headers });
    req.on("response", (res) => {
      answered = true;
      const writtenBeforeAnswer = written;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, writtenBeforeAnswer }));
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    void (async () => {
      const chunk = Buffer.alloc(16 * 1024, fill);
      while (written < total && !answered && !req.destroyed) {
        written += chunk.length;
        if (!req.write(chunk)) await new Promise((resume) => req.once("drain", resume));
      }
      if (!req.destroyed) req.end();
    })();
  });
}
