/**
 * The line beside a payment form that says why it will pay on Stripe's own page (Stripe.js could not
 * load), or what went wrong around its embedded form; nothing when there is nothing to say.
 */
export function CheckoutNotice({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="status" data-testid="checkout-fallback-notice" className="text-sm text-slate-700">
      {message}
    </p>
  );
}
