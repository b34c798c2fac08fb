import type { ReactNode } from "react";

// Email clients ignore stylesheets, so styles are inline and the layout is one narrow column.
export function EmailLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en">
      {/* An email document, not a Next.js page: next/head does not apply here. */}
      {/* eslint-disable-next-line @next/next/no-head-element */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>{title}</title>
      </head>
      <body style={{ margin: 0, padding: "24px", backgroundColor: "#f8fafc", fontFamily: "Arial, Helvetica, sans-serif", color: "#0f172a" }}>
        <div style={{ maxWidth: "480px", margin: "0 auto", backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: "8px", padding: "24px" }}>
          <p style={{ margin: "0 0 16px", fontSize: "18px", fontWeight: 700, color: "#4338ca" }}>Billfold</p>
          {children}
        </div>
      </body>
    </html>
  );
}

export function EmailButton({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p style={{ margin: "24px 0" }}>
      <a href={href} style={{ display: "inline-block", backgroundColor: "#4f46e5", color: "#ffffff", padding: "10px 18px", borderRadius: "6px", textDecoration: "none", fontWeight: 700 }}>
        {children}
      </a>
    </p>
  );
}

export function EmailText({ children }: { children: ReactNode }) {
  return <p style={{ margin: "0 0 12px", fontSize: "15px", lineHeight: "22px" }}>{children}</p>;
}

export function EmailFallbackLink({ href }: { href: string }) {
  return (
    <p style={{ margin: "0 0 12px", fontSize: "13px", lineHeight: "20px", color: "#475569", wordBreak: "break-all" }}>
      If the button does not work, paste this link into your browser: {href}
    </p>
  );
}
