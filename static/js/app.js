/* Grannsamverkan: the installable app. Registers the service worker (served from the
 * site's root, /sw.js, so that its scope is the whole site: static/js/service-worker.js),
 * which shows push notifications and keeps the inbox readable offline. A browser
 * without service workers simply goes without. Folds a list's filters on a phone.
 */
(function () {
  'use strict';

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  }

  // A list's filters, open in the page, fold away on a phone when none is in use: the
  // list, not the form, fills the first screen. (site.css's phone width: 40rem.)
  if (window.matchMedia('(max-width: 39.99rem)').matches) {
    document.addEventListener('DOMContentLoaded', () => {
      document.querySelectorAll('details[data-fold-on-phone]').forEach((panel) => {
        panel.open = false;
      });
    });
  }
})();
