import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ActionState } from "@/lib/accounts/guards";
import { controlProps, Field, FormError } from "./form";
import { typedValues } from "./use-kept-form";

function html(element: Parameters<typeof renderToStaticMarkup>[0]) {
  return renderToStaticMarkup(element);
}

describe("Field", () => {
  it("with no error: labelled, no aria-invalid, no describedby pointing at a missing element", () => {
    const markup = html(createElement(Field, { label: "Email", name: "email", state: {} }));
    expect(markup).toContain('<label for="email"');
    expect(markup).toContain('id="email"');
    expect(markup).not.toContain("aria-invalid");
    expect(markup).not.toContain("aria-describedby");
    expect(markup).not.toContain("email-error");
  });

  it("with an error: the message sits under the input, which is invalid and described by it (and by its hint)", () => {
    const state: ActionState = { error: "Please fix the highlighted fields.", fieldErrors: { amount: ["Enter an amount."] }, values: { amount: "twelve" } };
    const markup = html(createElement(Field, { label: "Amount", name: "amount", id: "custom-amount", hint: "Between £5.00 and £500.00", state }));
    expect(markup).toContain('aria-invalid="true"');
    expect(markup).toContain('aria-describedby="custom-amount-hint custom-amount-error"');
    expect(markup).toContain('<p id="custom-amount-error" class="text-sm text-red-700">Enter an amount.</p>');
    // What was typed comes back as the default, so React's reset after the action restores it.
    expect(markup).toContain('value="twelve"');
  });

  it("announces its own error when that is the form's whole message, so it is said once", () => {
    const state: ActionState = { error: "Choose an amount between £5.00 and £500.00.", fieldErrors: { amount: ["Choose an amount between £5.00 and £500.00."] } };
    expect(html(createElement(Field, { label: "Amount", name: "amount", state }))).toContain('role="alert"');
    expect(html(createElement(FormError, { state }))).toBe("");
  });

  it("a typed value wins over the field's starting value; without one the starting value shows", () => {
    expect(controlProps({ name: "amount", defaultValue: "20.00", state: { values: { amount: "5" } } }).defaultValue).toBe("5");
    expect(controlProps({ name: "amount", defaultValue: "20.00", state: {} }).defaultValue).toBe("20.00");
  });

  it("keeps other describing ids next to its own", () => {
    expect(controlProps({ name: "x", error: "Bad.", describedBy: "x-note" })["aria-describedby"]).toBe("x-error x-note");
  });
});

describe("FormError", () => {
  it("shows the form's message when it is not one field's", () => {
    const state: ActionState = { error: "Please fix the highlighted fields.", fieldErrors: { email: ["Enter a valid email address."] } };
    expect(html(createElement(FormError, { state }))).toContain('role="alert"');
    expect(html(createElement(FormError, { state }))).toContain("Please fix the highlighted fields.");
  });

  it("shows its children first, and nothing when there is nothing to say", () => {
    expect(html(createElement(FormError, { state: { error: "x" } }, "This form has expired."))).toContain("This form has expired.");
    expect(html(createElement(FormError, { state: {} }))).toBe("");
  });
});

describe("typedValues", () => {
  it("keeps every text field as typed, passwords included (they never leave the browser's memory), and no action ids", () => {
    const form = new FormData();
    form.set("email", "ada@example.test");
    form.set("password", "short");
    form.set("$ACTION_ID_abc", "");
    form.set("file", new Blob(["x"]));
    expect(typedValues(form)).toEqual({ email: "ada@example.test", password: "short" });
  });
});
