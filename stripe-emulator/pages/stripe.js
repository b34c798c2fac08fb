// The emulator's Stripe.js, served at /endive/stripe.js (and /v3): the part of Stripe.js that Embedded Checkout
// uses, drawing the emulator's embedded page (/embedded-checkout/<client_secret>) in an iframe. `loadStripe` from
// @stripe/stripe-js uses it when it is already on the page, so the app runs its real-Stripe code path.
// Plain ES2019 and no build step: the browser runs this file as it is.
(function () {
  "use strict";

  /** The emulator's origin, where this script came from; its iframe and messages come from there too. */
  function emulatorOrigin() {
    var script = document.currentScript || document.querySelector('script[src$="/endive/stripe.js"], script[src$="/v3"], script[src$="/v3/"]');
    return new URL(script ? script.src : location.href).origin;
  }

  var EMULATOR_ORIGIN = emulatorOrigin();

  /** Stripe.js reports mistakes in the integration with this name. */
  function integrationError(message) {
    var error = new Error(message);
    error.name = "IntegrationError";
    return error;
  }

  /** Stripe.js allows one Embedded Checkout on a page until it is destroyed. */
  var liveCheckout = null;

  function resolveClientSecret(options) {
    var hasSecret = options.clientSecret !== undefined;
    var hasFetch = options.fetchClientSecret !== undefined;
    if (hasSecret === hasFetch) {
      return Promise.reject(integrationError("createEmbeddedCheckoutPage(): pass exactly one of `clientSecret` or `fetchClientSecret`."));
    }
    if (hasFetch && typeof options.fetchClientSecret !== "function") {
      return Promise.reject(integrationError("createEmbeddedCheckoutPage(): `fetchClientSecret` must be a function that returns a Promise of the client secret."));
    }
    return Promise.resolve(hasFetch ? options.fetchClientSecret() : options.clientSecret).then(function (secret) {
      if (typeof secret !== "string" || secret.indexOf("_secret_") === -1) {
        throw integrationError("createEmbeddedCheckoutPage(): `clientSecret` must be a Checkout Session's client secret (cs_…_secret_…).");
      }
      return secret;
    });
  }

  function embeddedCheckout(clientSecret, onComplete) {
    var iframe = null;
    var destroyed = false;
    var completed = false;

    function onMessage(event) {
      if (!iframe || event.source !== iframe.contentWindow || event.origin !== EMULATOR_ORIGIN) return;
      var data = event.data;
      if (!data || data.source !== "stripe-emulator") return;
      if (data.type === "resize" && typeof data.height === "number") {
        iframe.style.height = data.height + "px";
      } else if (data.type === "checkout-complete" && !completed) {
        completed = true;
        // As Stripe.js: `always` sends the whole page to return_url; otherwise the integration's onComplete runs.
        if (data.redirectOnCompletion === "always" && data.redirectUrl) window.top.location.assign(data.redirectUrl);
        else if (typeof onComplete === "function") onComplete();
      }
    }

    function mount(target) {
      if (destroyed) throw integrationError("This Embedded Checkout has been destroyed; create a new one.");
      if (iframe) throw integrationError("This Embedded Checkout is already mounted.");
      var container = typeof target === "string" ? document.querySelector(target) : target;
      if (!container || typeof container.appendChild !== "function") {
        throw integrationError("mount(): no element matches " + String(target) + ".");
      }
      iframe = document.createElement("iframe");
      iframe.title = "Embedded Checkout";
      iframe.name = "embedded-checkout";
      iframe.setAttribute("allow", "payment *");
      iframe.setAttribute("frameborder", "0");
      iframe.style.cssText = "width: 100%; height: 480px; border: 0; display: block;";
      iframe.src = EMULATOR_ORIGIN + "/embedded-checkout/" + encodeURIComponent(clientSecret);
      window.addEventListener("message", onMessage);
      container.appendChild(iframe);
    }

    function unmount() {
      window.removeEventListener("message", onMessage);
      if (iframe && iframe.parentNode) iframe.parentNode.removeChild(iframe);
      iframe = null;
    }

    var checkout = {
      mount: mount,
      unmount: unmount,
      destroy: function () {
        unmount();
        destroyed = true;
        if (liveCheckout === checkout) liveCheckout = null;
      },
    };
    return checkout;
  }

  function createEmbeddedCheckoutPage(options) {
    if (liveCheckout) return Promise.reject(integrationError("You cannot have multiple Embedded Checkout objects."));
    // Held from the start, so a second call while the secret is still being fetched is refused too.
    var pending = {};
    liveCheckout = pending;
    return resolveClientSecret(options || {}).then(
      function (clientSecret) {
        var checkout = embeddedCheckout(clientSecret, (options || {}).onComplete);
        if (liveCheckout === pending) liveCheckout = checkout;
        return checkout;
      },
      function (error) {
        if (liveCheckout === pending) liveCheckout = null;
        throw error;
      },
    );
  }

  function Stripe(publishableKey) {
    if (typeof publishableKey !== "string" || !/^pk_(test|live)_/.test(publishableKey)) {
      throw integrationError("Invalid value for Stripe(): apiKey should be a publishable key (pk_test_… or pk_live_…). You specified: " + String(publishableKey) + ".");
    }
    return {
      // @stripe/stripe-js reports its own version through this; nothing to record here.
      _registerWrapper: function () {},
      createEmbeddedCheckoutPage: createEmbeddedCheckoutPage,
    };
  }

  Stripe.version = "endive";
  window.Stripe = Stripe;
})();
