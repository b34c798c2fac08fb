// A stand-in for Google's sign-in, for the e2e server only: no OAuth provider is reachable offline,
// yet the e2e suite must follow a real OAuth sign-in through next-auth (e2e/sessions.spec.ts). It is
// a minimal OpenID Connect provider: discovery, an authorization page where the tester types the
// address to sign in as, a token endpoint (authorization code + PKCE) that returns an RS256-signed
// id_token saying the address is verified, and the key set to check it. Billfold points its Google
// provider here only through GOOGLE_STAND_IN_ISSUER, which lib/core/production-guards.ts refuses in
// production and anywhere but a loopback address (lib/accounts/auth/options.ts).
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface OAuthStandIn {
  issuer: string;
  stop(): Promise<void>;
}

interface PendingCode {
  email: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  nonce: string | null;
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.from(chunk);
    size += buffer.length;
    if (size > 16_384) throw new Error("form too large");
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Client credentials from HTTP Basic (openid-client's default) or the form body. */
function clientIdOf(req: IncomingMessage, form: URLSearchParams): string | null {
  const header = req.headers.authorization ?? "";
  if (header.startsWith("Basic ")) {
    const [id] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
    return id ? decodeURIComponent(id) : null;
  }
  return form.get("client_id");
}

export async function startOAuthStandIn(options: { port: number; host?: string }): Promise<OAuthStandIn> {
  const host = options.host ?? "127.0.0.1";
  const issuer = `http://${host}:${options.port}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = base64url(randomBytes(8));
  const codes = new Map<string, PendingCode>();

  function idToken(code: PendingCode): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      aud: code.clientId,
      // Stable per address, as Google's subject is per account.
      sub: `stand-in-${createHash("sha256").update(code.email).digest("hex").slice(0, 24)}`,
      email: code.email,
      email_verified: true,
      name: code.email.split("@")[0],
      iat: now,
      exp: now + 300,
      ...(code.nonce ? { nonce: code.nonce } : {}),
    };
    const signingInput = `${base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }))}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), privateKey))}`;
  }

  function json(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", issuer);
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (req.method === "GET" && url.pathname === "/jwks") {
      return json(res, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] });
    }
    if (req.method === "GET" && url.pathname === "/authorize") {
      // The authorization request rides along in hidden fields; the tester only types an address.
      const hidden = ["client_id", "redirect_uri", "state", "code_challenge", "nonce"]
        .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(url.searchParams.get(name) ?? "")}">`)
        .join("");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(
        `<!doctype html><html lang="en"><title>OAuth stand-in</title><h1>Sign in to the OAuth stand-in</h1>` +
          `<form method="post" action="/authorize">${hidden}<label>Email <input name="email" type="email" required></label> <button type="submit">Continue</button></form></html>`,
      );
    }
    if (req.method === "POST" && url.pathname === "/authorize") {
      const form = await readForm(req);
      const redirectUri = form.get("redirect_uri") ?? "";
      const code = base64url(randomBytes(24));
      codes.set(code, {
        email: (form.get("email") ?? "").trim().toLowerCase(),
        clientId: form.get("client_id") ?? "",
        redirectUri,
        codeChallenge: form.get("code_challenge") || null,
        nonce: form.get("nonce") || null,
      });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      const state = form.get("state");
      if (state) back.searchParams.set("state", state);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/token") {
      const form = await readForm(req);
      const pending = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      const challengeMet = pending?.codeChallenge === null || pending?.codeChallenge === base64url(createHash("sha256").update(verifier).digest());
      if (!pending || !challengeMet || pending.redirectUri !== form.get("redirect_uri") || pending.clientId !== clientIdOf(req, form)) {
        return json(res, 400, { error: "invalid_grant" });
      }
      return json(res, 200, { access_token: base64url(randomBytes(24)), token_type: "Bearer", expires_in: 300, scope: "openid email profile", id_token: idToken(pending) });
    }
    json(res, 404, { error: "not_found" });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 400, { error: "invalid_request" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, resolve);
  });
  return { issuer, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
