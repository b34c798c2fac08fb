// The 390 px (and 640 px) check behind e2e/phone-width.spec.ts (signed out and as a user) and
// e2e/admin.phone-width.spec.ts (as the ADMIN): on a phone no page may scroll sideways. The pages are
// the ones the accessibility walk finds on disk (e2e/accessibility.ts), so a page or table added later
// is measured without anyone remembering to list it.
import { expect, type Page } from "@playwright/test";
import { settle } from "./accessibility";

/** The issue's phone: 390×844. */
export const PHONE = { width: 390, height: 844 };

interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** The elements that reach past the right edge of the screen, outermost first. */
  escaping: string[];
}

/**
 * Scrolls every scrollable region (overflow auto or scroll) to its far end, as a person swiping
 * through a table would, then measures the document. Content positioned outside a scroller (an
 * absolutely positioned screen-reader span in a table cell whose box has no positioned ancestor
 * inside the scroller) is carried out of it when it scrolls, and widens the page.
 */
async function measureAfterScrolling(page: Page): Promise<Overflow> {
  return page.evaluate(async () => {
    const scrollers = [...document.querySelectorAll<HTMLElement>("body *")].filter((element) => {
      const style = getComputedStyle(element);
      return /(auto|scroll)/.test(`${style.overflowX} ${style.overflowY}`) && (element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
    });
    for (const scroller of scrollers) {
      scroller.scrollLeft = scroller.scrollWidth;
      scroller.scrollTop = scroller.scrollHeight;
    }
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const root = document.documentElement;
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : "";
      const testId = element.getAttribute("data-testid");
      const classes = typeof element.className === "string" && element.className ? `.${element.className.trim().split(/\s+/).slice(0, 3).join(".")}` : "";
      const text = (element.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${element.tagName.toLowerCase()}${id}${testId ? `[data-testid=${testId}]` : ""}${classes} "${text}" (right edge ${Math.round(element.getBoundingClientRect().right)} px)`;
    };
    const escaping = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
      .filter((element) => !element.parentElement || element.parentElement.getBoundingClientRect().right <= root.clientWidth + 0.5)
      .slice(0, 8)
      .map(describe);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, escaping };
  });
}

/**
 * The narrowest screen that gets tables instead of cards (tailwind's `sm`, 640 px): there a table may
 * still be wider than its box and scroll inside it, which is where escaping content shows.
 */
const SMALLEST_TABLE_SCREEN = { width: 640, height: 844 };

/**
 * Fails when the page, with every scrollable region scrolled to its end, is wider than the screen:
 * at 390 px, and at 640 px where the tables that are cards on a phone come back.
 */
export async function expectFitsPhone(page: Page, label: string): Promise<void> {
  const problems: string[] = [];
  for (const size of [PHONE, SMALLEST_TABLE_SCREEN]) {
    await page.setViewportSize(size);
    await settle(page);
    const overflow = await measureAfterScrolling(page);
    if (overflow.scrollWidth > overflow.clientWidth) {
      problems.push(
        `${label} at ${size.width} px: the document is ${overflow.scrollWidth} px wide for a ${overflow.clientWidth} px screen${
          overflow.escaping.length ? `; reaching past the edge:\n  ${overflow.escaping.join("\n  ")}` : ""
        }`,
      );
    }
  }
  expect(problems, `${label} scrolls sideways`).toEqual([]);
}
