/* Copy buttons: <button data-copy="ID" data-copied="…" hidden> copies the value of the
 * field ID and says so in its status element (aria-describedby). Shown only where the
 * browser lets a page write to the clipboard; elsewhere the field stays, to select and
 * copy by hand, and a refused copy selects it for that.
 */
(function () {
  'use strict';

  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll('button[data-copy]').forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.getAttribute('aria-describedby'));
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(field.value).then(
        () => { status.textContent = button.dataset.copied; },
        () => { field.focus(); field.select(); },
      );
    });
  });
})();
