/* Grannsamverkan: how many text messages an alert takes, counted as the sender types.
 *
 * The composer's What step (templates/notifications/compose_what.html) shows the count
 * the server made of the text as it stood (notifications.alerts.composer). This file
 * counts again on every keystroke by the same rules, which it reads from a json_script
 * the server writes from notifications/sms/segments.py (the alphabets, the part sizes,
 * the sentences in the page's language): GSM-7 when every character is in GSM 03.38
 * (an extension character takes two septets), 160 septets in one SMS and 153 per part;
 * otherwise UCS-2, 70 UTF-16 units in one and 67 per part. A character that takes two
 * is never split across parts. Without JavaScript the server's count stays.
 *
 * <output for="id_title id_body" data-sms-counter="id of the json_script">
 */
(function () {
  'use strict';

  function pack(sizes, single, part) {
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (total <= single) return 1;
    let segments = 1;
    let used = 0;
    sizes.forEach((size) => {
      if (used + size > part) {
        segments += 1;
        used = 0;
      }
      used += size;
    });
    return segments;
  }

  function counter(rules) {
    const basic = new Set(Array.from(rules.basic));
    const extension = new Set(Array.from(rules.extension));
    return (text) => {
      const characters = Array.from(text);  // code points, as Python walks a str
      if (characters.every((ch) => basic.has(ch) || extension.has(ch))) {
        const septets = characters.map((ch) => (extension.has(ch) ? 2 : 1));
        return { ucs2: false, segments: pack(septets, rules.gsm[0], rules.gsm[1]) };
      }
      const units = characters.map((ch) => (ch.codePointAt(0) > 0xffff ? 2 : 1));
      return { ucs2: true, segments: pack(units, rules.ucs2[0], rules.ucs2[1]) };
    };
  }

  function start(output) {
    let rules;
    try {
      rules = JSON.parse(document.getElementById(output.dataset.smsCounter).textContent);
    } catch (e) {
      return;  // the server's count stays
    }
    const [title, body] = Array.from(output.htmlFor).map((id) => document.getElementById(id));
    if (!title || !body) return;
    const count = counter(rules);
    const hint = output.parentElement.querySelector('[data-sms-hint]');
    // As the channel builds it (notifications.channels.sms.full_text); fields are stripped
    // and line breaks are sent as one character.
    const text = () => rules.prefix + title.value.trim() + '\n' + body.value.trim().replace(/\r\n?/g, '\n');
    const update = () => {
      const result = count(text());
      const sentence = rules.texts[result.segments - 1] || rules.over;
      if (output.textContent !== sentence) output.textContent = sentence;
      if (hint) hint.hidden = !result.ucs2;
    };
    title.addEventListener('input', update);
    body.addEventListener('input', update);
    update();
  }

  function startAll() {
    document.querySelectorAll('output[data-sms-counter]').forEach(start);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startAll);
  else startAll();
})();
