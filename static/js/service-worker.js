/* Grannsamverkan's service worker, served from the site's root as /sw.js
 * (notifications/push/views.py) so that its scope is the whole site.
 *
 * Push: shows each message the server sends (notifications/channels/push.py: JSON with
 * title, body, url and urgent); an urgent one stays until the member acts on it. A
 * click opens the inbox entry, only ever a page of this site.
 *
 * Offline: the inbox pages the member opened are fetched from the network first and
 * kept, the list and the last 50 entries, so they can be read without a connection; so
 * are the site's static files, which the pages need to look right. The copies belong to one person: the
 * server names the owner of each inbox page (the Inbox-Owner header, a keyed hash), and
 * another owner's page empties the copies first; logging out clears them altogether
 * (Clear-Site-Data, config/security.py).
 */
'use strict';

const INBOX = '/notifications/inbox/';
const STATIC = '/static/';
const INBOX_CACHE = 'inbox-v1';
const STATIC_CACHE = 'static-v1';
const OWNER_KEY = '/notifications/inbox/?owner';
// The last 51 inbox pages: the list and the 50 entries opened last.
const KEEP = 51;

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

async function ownerOf(cache) {
  const stored = await cache.match(OWNER_KEY);
  return stored ? stored.text() : '';
}

async function keepInbox(request, response) {
  const owner = response.headers.get('Inbox-Owner');
  if (!owner) return;
  let cache = await caches.open(INBOX_CACHE);
  if ((await ownerOf(cache)) !== owner) {
    await caches.delete(INBOX_CACHE);
    cache = await caches.open(INBOX_CACHE);
    await cache.put(OWNER_KEY, new Response(owner));
  }
  await cache.put(request, response);
  // Oldest first: a page kept again moves to the end.
  const pages = (await cache.keys()).filter((key) => !key.url.endsWith(OWNER_KEY));
  await Promise.all(pages.slice(0, Math.max(0, pages.length - KEEP)).map((key) => cache.delete(key)));
}

// From the network while there is one, so a release's pages and files are seen at once;
// from the copy when there is not.
async function networkFirst(request, cacheName, keepCopy) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await keepCopy(request, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName });
    if (cached) return cached;
    throw error;
  }
}

async function keepStatic(request, response) {
  const cache = await caches.open(STATIC_CACHE);
  await cache.put(request, response);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(INBOX)) {
    event.respondWith(networkFirst(request, INBOX_CACHE, keepInbox));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(networkFirst(request, STATIC_CACHE, keepStatic));
  }
});

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const url = typeof message.url === 'string' ? message.url : INBOX;
  event.waitUntil(
    self.registration.showNotification(String(message.title || ''), {
      body: String(message.body || ''),
      data: { url },
      tag: url,
      requireInteraction: message.urgent === true,
    })
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.openWindow(url.href));
});
