import type { ReactElement } from "react";

/**
 * Renders an email template to a complete HTML document. react-dom/server is loaded lazily:
 * Next.js refuses a static import of it anywhere in the server-component graph.
 */
export async function renderEmailHtml(element: ReactElement): Promise<string> {
  const { renderToStaticMarkup } = await import("react-dom/server");
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
}
