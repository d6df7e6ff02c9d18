/* Grannsamverkan's service worker, served from the site's root as /sw.js
 * (notifications/push/views.py) so that its scope is the whole site.
 *
 * Push: shows each message the server sends (notifications/channels/push.py: JSON with
 * title, body, url and urgent); an urgent one stays until the member acts on it. A
 * click opens the inbox entry, only ever a page of this site.
 *
 * Offline: the inbox pages the member opened are fetched from the network first and
 * kept, the list and the last 50 entries, so they can be read without a connection; so
 * are the site's static files, which the pages need to look right. The copies belong to
 * one person and one session (notifications/push/offline.py). Every page of the site
 * names whom it was answered for (Inbox-Owner: a keyed hash, or "none"), and a page
 * answered for anyone else empties the copies: another member, or nobody once the
 * session has ended. Each copy says when its session ends (Inbox-Expires) and is not
 * shown after that; a session that ends with the browser names its browser-session
 * cookie (Inbox-Session), and a copy is shown only while that cookie is there, where the
 * worker can read cookies (the Cookie Store API). A copy that may not be shown is
 * deleted, and its page is then not available offline, like one never opened. Logging
 * out clears the copies altogether (Clear-Site-Data, config/security.py).
 */
'use strict';

const INBOX = '/notifications/inbox/';
const STATIC = '/static/';
const INBOX_CACHE = 'inbox-v1';
const STATIC_CACHE = 'static-v1';
const OWNER = 'Inbox-Owner';
const EXPIRES = 'Inbox-Expires';
const SESSION = 'Inbox-Session';
const SESSION_COOKIE = 'inbox_session';
// The last 51 inbox pages: the list and the 50 entries opened last.
const KEEP = 51;

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

// Whether a copy may still be shown: before its session's end and, for a session that
// ends with the browser, while that browser session's cookie is there.
async function mayShow(copy) {
  if (!(Date.now() < Number(copy.headers.get(EXPIRES)) * 1000)) return false;
  const session = copy.headers.get(SESSION);
  if (!session || !self.cookieStore) return true;
  const cookie = await self.cookieStore.get(SESSION_COOKIE);
  return Boolean(cookie) && cookie.value === session;
}

// Deletes the copies that may no longer be shown; the others, oldest first.
async function forgetEnded(cache) {
  const keys = await cache.keys();
  const shown = await Promise.all(
    keys.map(async (key) => {
      const copy = await cache.match(key);
      if (copy && (await mayShow(copy))) return true;
      await cache.delete(key);
      return false;
    })
  );
  return keys.filter((key, index) => shown[index]);
}

// The copies are someone else's once the site answers for another person, or for nobody.
async function forgetUnlessOwner(response) {
  const owner = response.headers.get(OWNER);
  if (!owner || !(await caches.has(INBOX_CACHE))) return;
  const cache = await caches.open(INBOX_CACHE);
  const [first] = await cache.keys();
  const copy = first && (await cache.match(first));
  if (copy && copy.headers.get(OWNER) !== owner) await caches.delete(INBOX_CACHE);
}

async function keepInbox(request, response) {
  if (!response.headers.has(EXPIRES)) return;
  const cache = await caches.open(INBOX_CACHE);
  await cache.put(request, response);
  // Oldest first: a page kept again moves to the end.
  const pages = await forgetEnded(cache);
  await Promise.all(pages.slice(0, Math.max(0, pages.length - KEEP)).map((key) => cache.delete(key)));
}

async function keptInbox(request) {
  if (!(await caches.has(INBOX_CACHE))) return undefined;
  const cache = await caches.open(INBOX_CACHE);
  await forgetEnded(cache);
  return cache.match(request);
}

async function keepStatic(request, response) {
  const cache = await caches.open(STATIC_CACHE);
  await cache.put(request, response);
}

function keptStatic(request) {
  return caches.match(request, { cacheName: STATIC_CACHE });
}

// Any page: from the network, heard for whom it was answered before it is shown.
async function fromNetwork(request) {
  const response = await fetch(request);
  await forgetUnlessOwner(response);
  return response;
}

// From the network while there is one, so a release's pages and files are seen at once;
// from the copy when there is not.
async function networkFirst(request, keep, kept) {
  let response;
  try {
    response = await fromNetwork(request);
  } catch (error) {
    const copy = await kept(request);
    if (copy) return copy;
    throw error;
  }
  if (response.ok && !response.redirected) await keep(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(INBOX)) {
    event.respondWith(networkFirst(request, keepInbox, keptInbox));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(networkFirst(request, keepStatic, keptStatic));
  } else if (request.mode === 'navigate') {
    event.respondWith(fromNetwork(request));
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
