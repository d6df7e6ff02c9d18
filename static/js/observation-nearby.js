/* Grannsamverkan: "Is it one of these?" before a report is sent.
 *
 * As soon as the member changes the category or the place of a report (the pin on the
 * map writes the coordinate fields and fires their change events, static/js/maps.js),
 * this asks the server for reports of the same category within 50 m in the last week
 * (watch.community.views.observation_nearby) and puts the answer, the section the
 * server itself shows on sending, into the form above its Send button. Its buttons add
 * the report to one of them or send it as a new one, with everything typed and chosen.
 * Without JavaScript the server shows the same section when the form is sent.
 *
 * <div id="nearby" data-nearby-url="…"> inside the form with id_category, id_latitude and
 * id_longitude.
 */
(function () {
  'use strict';

  const WAIT_MS = 300;  // a pin dragged about asks once it rests

  function start(box) {
    const fields = ['id_category', 'id_latitude', 'id_longitude'].map(
      (id) => document.getElementById(id));
    if (fields.some((field) => !field)) return;
    let timer = null;
    let asked = 0;

    function show(html) {
      const parsed = new DOMParser().parseFromString(html, 'text/html');
      box.replaceChildren(...parsed.body.childNodes);
    }

    function ask() {
      const [category, latitude, longitude] = fields.map((field) => field.value.trim());
      if (!category || !latitude || !longitude) {
        show('');
        return;
      }
      const number = ++asked;
      const query = new URLSearchParams({ category, latitude, longitude });
      fetch(`${box.dataset.nearbyUrl}?${query}`, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
      })
        .then((response) => {
          // A place the server does not take shows nothing; a refusal (the limit) leaves
          // what is shown, and the server asks again on sending.
          if (response.status === 400) return '';
          return response.ok ? response.text() : null;
        })
        .then((html) => {
          if (html !== null && number === asked) show(html);
        })
        .catch(() => {});
    }

    fields.forEach((field) => field.addEventListener('change', () => {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    }));
  }

  document.querySelectorAll('[data-nearby-url]').forEach(start);
}());
