"use client";

/** Opens the browser's print dialog (print or save as PDF); hidden on the printed page itself. */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 print:hidden"
    >
      Print receipt
    </button>
  );
}
