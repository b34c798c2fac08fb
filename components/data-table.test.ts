import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable } from "./data-table";

// The browser check is e2e/phone-width.spec.ts; this pins the one property it depends on for every
// table, including ones no page shows at a scrolling width today.
describe("DataTable", () => {
  it("positions its scrolling box, so absolutely positioned cell content (sr-only text) is clipped inside it and cannot widen the page", () => {
    const row = createElement("tr", null, createElement("td", null, createElement("a", { href: "#" }, "View", createElement("span", { className: "sr-only" }, " (opens Stripe)"))));
    // Called as a function (it has no hooks): its children are a prop of its own type.
    const markup = renderToStaticMarkup(DataTable({ label: "Invoices", columns: [{ label: "Links" }], children: row }));
    const box = /<div role="region" aria-label="Invoices"[^>]*class="([^"]*)"/.exec(markup)?.[1] ?? "";
    expect(box.split(" ")).toEqual(expect.arrayContaining(["overflow-x-auto", "relative"]));
  });
});
