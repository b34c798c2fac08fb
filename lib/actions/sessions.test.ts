import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { GET as me } from "@/app/api/me/route";
import { createUserWithPassword } from "../accounts/users";
import { signOutOfAllDevices } from "./sessions";

// "Sign out of all devices", through the real server action in a request scope (as Next runs it).

const meStatus = async (cookie: string) => (await callRoute(me, new Request("http://localhost:3000/api/me", { headers: { cookie } }))).status;

describe("sign out of all devices", () => {
  it("ends every session of the user, the asking browser's too, and sends it to sign in", async () => {
    const user = await createUserWithPassword({ email: `everywhere-${randomUUID()}@example.test`, password: "a long password" });
    const phone = await sessionCookie(user);
    const laptop = await sessionCookie(user);
    const other = await createUserWithPassword({ email: `bystander-${randomUUID()}@example.test`, password: "a long password" });
    const bystander = await sessionCookie(other);
    expect(await meStatus(phone)).toBe(200);

    const response = await callRoute(async () => {
      await signOutOfAllDevices({}, new FormData());
      return new Response("the action did not redirect", { status: 500 });
    }, new Request("http://localhost:3000/billing", { method: "POST", headers: { cookie: laptop } }));

    expect(response.headers.get("location")).toBe("/signin?signedOut=everywhere");
    expect(await meStatus(laptop)).toBe(401);
    expect(await meStatus(phone)).toBe(401);
    expect(await meStatus(bystander)).toBe(200);
  });

  it("signed out, sends the browser to sign in and ends nothing", async () => {
    const response = await callRoute(async () => {
      await signOutOfAllDevices({}, new FormData());
      return new Response("the action did not redirect", { status: 500 });
    }, new Request("http://localhost:3000/billing", { method: "POST" }));
    expect(response.headers.get("location")).toMatch(/^\/signin\?callbackUrl=/);
  });
});
