/* Holdfast cancellation widget loader.
 * Usage (after this script loads):
 *   Holdfast.open({ publicKey, email, name?, externalId?, issuedAt, signature, host?, onComplete?, onClose? })
 *   Holdfast.close()
 * issuedAt and the signature are computed on YOUR server (see Holdfast > Cancellation flow > Install).
 */
(function () {
  "use strict";
  if (window.Holdfast && window.Holdfast.version) return;

  // Where this script came from is where the widget lives, unless `host` says otherwise.
  var script = document.currentScript;
  var defaultHost = script && script.src ? new URL(script.src, location.href).origin : location.origin;

  var frame = null;
  var current = null;
  var previousOverflow = "";

  function onMessage(event) {
    if (!frame || event.source !== frame.contentWindow) return;
    if (current && event.origin !== current.origin) return;
    var data = event.data || {};
    if (data.type === "holdfast:close") close();
    if (data.type === "holdfast:complete" && current && typeof current.onComplete === "function") current.onComplete(data.outcome);
  }

  function open(options) {
    options = options || {};
    var missing = ["publicKey", "email", "issuedAt", "signature"].filter(function (k) {
      return !options[k];
    });
    if (missing.length) throw new Error("Holdfast.open: missing " + missing.join(", "));
    if (frame) close();

    var host = String(options.host || defaultHost).replace(/\/$/, "");
    var params = new URLSearchParams({
      publicKey: options.publicKey,
      email: options.email,
      issuedAt: String(options.issuedAt),
      signature: options.signature,
    });
    if (options.name) params.set("name", options.name);
    if (options.externalId) params.set("externalId", String(options.externalId));

    current = { origin: new URL(host).origin, onComplete: options.onComplete, onClose: options.onClose };
    frame = document.createElement("iframe");
    frame.src = host + "/widget?" + params.toString();
    frame.title = "Cancel subscription";
    frame.setAttribute("data-holdfast-widget", "");
    frame.setAttribute("allowtransparency", "true");
    frame.style.cssText =
      "position:fixed;inset:0;width:100%;height:100%;border:0;margin:0;padding:0;z-index:2147483647;background:transparent;color-scheme:normal;";
    previousOverflow = document.documentElement.style.overflow;
    document.documentElement.style.overflow = "hidden";
    window.addEventListener("message", onMessage);
    document.body.appendChild(frame);
    frame.focus();
  }

  function close() {
    if (!frame) return;
    var closing = current;
    window.removeEventListener("message", onMessage);
    frame.remove();
    frame = null;
    current = null;
    document.documentElement.style.overflow = previousOverflow;
    if (closing && typeof closing.onClose === "function") closing.onClose();
  }

  window.Holdfast = { version: "1", open: open, close: close };
})();
