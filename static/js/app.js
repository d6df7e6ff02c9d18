/* Grannsamverkan: the installable app. Registers the service worker (served from the
 * site's root, /sw.js, so that its scope is the whole site: static/js/service-worker.js),
 * which shows push notifications and keeps the inbox readable offline. A browser
 * without service workers simply goes without.
 */
(function () {
  'use strict';

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  }
})();
