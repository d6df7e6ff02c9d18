/* Grannsamverkan: setting up push notifications on this device, on the member's page of
 * choices (templates/notifications/includes/push_devices.html).
 *
 * Asks the browser for a push subscription with the site's VAPID public key and posts it
 * as JSON to the server, which checks it and lists the device; on a device that has one,
 * offers to give it up instead. Without the Push API the section stays hidden and its
 * explanation shows.
 *
 * <div data-push data-vapid-key="…" data-subscribe-url="…" data-unsubscribe-url="…"
 *      data-denied="…" data-failed="…">
 */
(function () {
  'use strict';

  const section = document.querySelector('[data-push]');
  if (!section || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
  section.hidden = false;
  const unsupported = document.querySelector('[data-push-unsupported]');
  if (unsupported) unsupported.hidden = true;
  const status = section.querySelector('[data-push-status]');
  const button = section.querySelector('[data-push-subscribe]');
  const stop = section.querySelector('[data-push-unsubscribe]');

  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function post(url, data) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'X-CSRFToken': section.querySelector('[name=csrfmiddlewaretoken]').value,
      },
      body: JSON.stringify(data),
    });
  }

  async function unsubscribe() {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await post(section.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    window.location.reload();
  }

  async function subscribe() {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      status.textContent = section.dataset.denied;
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(section.dataset.vapidKey),
    });
    const response = await post(section.dataset.subscribeUrl, subscription.toJSON());
    if (response.ok) {
      window.location.reload();
      return;
    }
    // The server said why (a refused endpoint or keys, too many devices): keep nothing.
    await subscription.unsubscribe();
    const answer = await response.json().catch(() => ({}));
    status.textContent = answer.message || section.dataset.failed;
  }

  function onClick(control, action) {
    control.addEventListener('click', () => {
      control.disabled = true;
      action()
        .catch(() => {
          status.textContent = section.dataset.failed;
        })
        .finally(() => {
          control.disabled = false;
        });
    });
  }

  onClick(button, subscribe);
  onClick(stop, unsubscribe);
  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => {
      button.hidden = Boolean(subscription);
      stop.hidden = !subscription;
    })
    .catch(() => {});
})();
