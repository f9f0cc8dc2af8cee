/* Buttons marked data-print print the page (no inline onclick: the Content-Security-Policy
   allows scripts from the portal's own files only). */
(function () {
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
