"use client";

import { useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import type { ActionState, FormAction } from "@/lib/accounts";
import { EmbeddedCheckoutDialog } from "./embedded-checkout-dialog";
import { STRIPE_JS_FALLBACK_NOTICE } from "./fallback-notice";
import { loadStripeJs, type StripeJsConfig } from "./stripe-js";

// A payment form that opens Stripe's Embedded Checkout when it can and the hosted page when it
// cannot. The form posts its server action either way. Its hidden `checkoutUi` field says
// "embedded" only once this page has hydrated and Stripe.js has loaded: without JavaScript, or when
// Stripe.js fails to load (a blocked script, a timeout), the action answers with a redirect to the
// hosted page, as before. Asked for embedded, the action answers the session's client secret (to
// the signed-in person only) and the dialog draws it.

export type EmbeddedCheckoutStarted = NonNullable<ActionState["checkout"]>;

/** "pending": not loaded (yet), or no publishable key: the forms ask for the hosted page. */
type StripeJsStatus = "pending" | "ready" | "failed";

export interface EmbeddedCheckoutOptions {
  /** From the server (lib/core/checkout-ui.ts); null: hosted Checkout only. */
  config: StripeJsConfig | null;
  /** The dialog's heading. */
  title: (started: EmbeddedCheckoutStarted) => string;
  /** Stripe says the session is complete: show its outcome (the dialog is already closed). */
  onComplete: (started: EmbeddedCheckoutStarted) => void;
  /** Closed unpaid (Close or Escape): call the purchase off. */
  onClose: (started: EmbeddedCheckoutStarted) => void;
}

export function useEmbeddedCheckout(action: FormAction, { config, title, onComplete, onClose }: EmbeddedCheckoutOptions) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, {});
  const [status, setStatus] = useState<StripeJsStatus>("pending");
  // Each answer that started an embedded session opens the dialog once, until it is closed.
  const [dismissed, setDismissed] = useState<ActionState | null>(null);
  // A session opened elsewhere (a purchase resumed from its link) until it is closed.
  const [resumed, setResumed] = useState<EmbeddedCheckoutStarted | null>(null);
  const open = resumed ?? (state !== dismissed ? (state.checkout ?? null) : null);
  // The button that submitted the form: disabled while the action runs, so it has lost focus by the
  // time the dialog opens; focus goes back to it when the dialog closes.
  const [opener, setOpener] = useState<HTMLElement | null>(null);
  const resubmitting = useRef(false);
  const rememberOpener = (event: FormEvent<HTMLFormElement>) => {
    const submitter = event.nativeEvent instanceof SubmitEvent ? event.nativeEvent.submitter : null;
    setOpener(submitter instanceof HTMLElement ? submitter : null);
    if (status !== "pending" || !config || resubmitting.current) {
      resubmitting.current = false;
      return;
    }
    // Pressed before Stripe.js finished loading: wait for it (or for its failure), then post the form
    // again asking for the checkout this page can now show.
    event.preventDefault();
    const form = event.currentTarget;
    void loadStripeJs(config)
      .then(
        () => "embedded",
        () => "hosted",
      )
      .then((ui) => {
        const field = form.elements.namedItem("checkoutUi");
        if (field instanceof HTMLInputElement) field.value = ui;
        resubmitting.current = true;
        form.requestSubmit(submitter instanceof HTMLButtonElement ? submitter : null);
      });
  };
  const publishableKey = config?.publishableKey ?? null;
  const emulatorScriptUrl = config?.emulatorScriptUrl ?? null;

  useEffect(() => {
    if (!publishableKey) return;
    let current = true;
    // Loaded as the page opens, so the first click already knows which checkout it gets.
    loadStripeJs({ publishableKey, emulatorScriptUrl }).then(
      () => current && setStatus("ready"),
      () => current && setStatus("failed"),
    );
    return () => {
      current = false;
    };
  }, [publishableKey, emulatorScriptUrl]);

  const checkoutUiField = <input type="hidden" name="checkoutUi" value={status === "ready" ? "embedded" : "hosted"} />;
  const dialog =
    open && config ? (
      <EmbeddedCheckoutDialog
        key={open.sessionId}
        config={config}
        clientSecret={open.clientSecret}
        title={title(open)}
        returnFocusTo={opener}
        onComplete={() => {
          setDismissed(state);
          setResumed(null);
          onComplete(open);
        }}
        onClose={() => {
          setDismissed(state);
          setResumed(null);
          onClose(open);
        }}
      />
    ) : null;
  const notice = status === "failed" ? STRIPE_JS_FALLBACK_NOTICE : null;
  return { state, formAction, rememberOpener, pending, embedded: status === "ready", checkoutUiField, dialog, notice, openStarted: setResumed };
}
