/* The error pages' "Quay lại trang trước": the browser's own back, which shows the page
   with what was typed still in it. Without this script the link opens the previous
   address (or the same one) afresh. */
(function () {
  var link = document.querySelector("[data-history-back]");
  if (!link || window.history.length < 2) return;
  link.addEventListener("click", function (e) {
    e.preventDefault();
    window.history.back();
  });
})();
