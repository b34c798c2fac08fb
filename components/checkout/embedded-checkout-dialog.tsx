"use client";

import { useEffect, useId, useRef, useState } from "react";
import { loadStripeJs, type StripeJsConfig } from "./stripe-js";

// Stripe's Embedded Checkout in a modal dialog: the payment happens in Stripe's frame inside this
// page, so the person never leaves it. The native <dialog> opened with showModal() keeps focus and
// the screen reader inside; focus goes back to what opened it when it closes. Escape and the Close
// button call onClose (the caller cancels the purchase, as Checkout's cancel link does); Stripe's
// onComplete calls onComplete. Either way the Embedded Checkout is destroyed, since Stripe.js allows
// one at a time.

export interface EmbeddedCheckoutDialogProps {
  config: StripeJsConfig;
  /** The session's client secret, from a server action that checked the session is the signed-in person's. */
  clientSecret: string;
  /** The dialog's accessible name and heading: what is being paid for. */
  title: string;
  /** Where focus goes back when the dialog closes: the button that opened it (else whatever had focus). */
  returnFocusTo?: HTMLElement | null;
  onComplete: () => void;
  onClose: () => void;
}

export function EmbeddedCheckoutDialog({ config, clientSecret, title, returnFocusTo = null, onComplete, onClose }: EmbeddedCheckoutDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  // The latest callbacks, so that a re-render of the caller does not remount Stripe's frame.
  const onCompleteRef = useRef(onComplete);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCompleteRef.current = onComplete;
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = returnFocusTo ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      // Escape: closed by the caller, which decides what happens to the purchase.
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
    // Once per dialog: the caller keys it by session.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const { publishableKey, emulatorScriptUrl } = config;
  useEffect(() => {
    let destroyed = false;
    let checkout: { destroy(): void } | null = null;
    void (async () => {
      try {
        const stripe = await loadStripeJs({ publishableKey, emulatorScriptUrl });
        const created = await stripe.createEmbeddedCheckoutPage({
          fetchClientSecret: () => Promise.resolve(clientSecret),
          onComplete: () => onCompleteRef.current(),
        });
        if (destroyed) {
          created.destroy();
          return;
        }
        checkout = created;
        if (mountRef.current) created.mount(mountRef.current);
        setReady(true);
      } catch {
        if (!destroyed) setProblem("The payment form couldn't open. Nothing was charged; close this and try again.");
      }
    })();
    return () => {
      destroyed = true;
      checkout?.destroy();
    };
  }, [publishableKey, emulatorScriptUrl, clientSecret]);

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={headingId}
      data-testid="embedded-checkout-dialog"
      className="m-auto w-full max-w-xl rounded-lg bg-white p-0 shadow-xl backdrop:bg-slate-900/60"
    >
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <h2 id={headingId} className="text-lg font-semibold">
          {title}
        </h2>
        <button type="button" onClick={() => onCloseRef.current()} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
          Close
        </button>
      </div>
      {/* Scrolls on a short screen: focusable, so it can be scrolled from the keyboard too. */}
      <div role="region" aria-label="Payment form" tabIndex={0} className="max-h-[80vh] overflow-y-auto px-4 py-4">
        {!ready && !problem && (
          <p role="status" className="text-sm text-slate-600">
            Loading the secure payment form…
          </p>
        )}
        {problem && (
          <p role="alert" className="text-sm text-red-800">
            {problem}
          </p>
        )}
        <div ref={mountRef} data-testid="embedded-checkout" />
      </div>
    </dialog>
  );
}
