/* Grannsamverkan: a chosen file over its limit is refused before the form is sent.
 *
 * <input type="file" data-max-bytes="…" data-too-large-text="…"> (config/widgets.py).
 * The file is unchosen, so it cannot be sent, and the reason is shown under the field
 * the way the server shows its errors (an errorlist tied to the input by
 * aria-describedby, announced as an alert). The server checks the size again.
 * Listens on the document in the capture phase: other scripts that read the chosen
 * file (maps.js loads a boundary file onto the map) run after the check.
 */
(function () {
  'use strict';

  function clearMessage(input) {
    const message = document.getElementById(input.id + '_size_error');
    if (!message) return;
    message.remove();
    const describedBy = (input.getAttribute('aria-describedby') || '')
      .split(' ').filter((id) => id && id !== message.id);
    if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
    input.removeAttribute('aria-invalid');
  }

  function showMessage(input, text) {
    const list = document.createElement('ul');
    list.className = 'errorlist';
    list.id = input.id + '_size_error';
    list.setAttribute('role', 'alert');
    const item = document.createElement('li');
    item.textContent = text;  // text, never HTML
    list.appendChild(item);
    input.insertAdjacentElement('afterend', list);
    const describedBy = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    input.setAttribute('aria-describedby', describedBy.concat(list.id).join(' '));
    input.setAttribute('aria-invalid', 'true');
  }

  document.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.dataset.maxBytes) return;
    clearMessage(input);
    const limit = Number(input.dataset.maxBytes);
    const tooLarge = Array.from(input.files || []).some((file) => file.size > limit);
    if (!tooLarge) return;
    input.value = '';
    showMessage(input, input.dataset.tooLargeText);
  }, true);
})();
