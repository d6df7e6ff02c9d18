/* Passkeys: when the browser does not make or use a passkey (the person cancelled, the
   phone is not at hand, no passkey for this site), allauth's webauthn.js dispatches
   "allauth.error" on the document and would only write it to the console. The page holds
   what to say, translated, hidden in the element marked data-passkey-error: show it. */
(function () {
  'use strict';
  document.addEventListener('allauth.error', function (event) {
    var message = document.querySelector('[data-passkey-error]');
    if (!message) {
      return;
    }
    event.preventDefault();
    message.hidden = false;
    message.focus();
  });
})();
