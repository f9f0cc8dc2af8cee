/* The error pages' "Quay lại trang trước" button: the browser's own back, which shows the previous
   page with what was typed still in it. Going back while the database is still down would
   load that page as another error page, and what was typed would be gone: so the portal's
   health check (data-health) is asked first, and again every few seconds until it answers;
   meanwhile #back-status says so. Loaded in the head and listening on the document, so the
   button is handled from the moment it appears. Without this script the link opens the
   previous address afresh. */
(function () {
  var waiting = false;
  function back() { window.history.back(); }
  function wait(link) {
    var status = document.getElementById("back-status");
    if (status) status.textContent = status.getAttribute("data-wait");
    setTimeout(function () { check(link); }, 5000);
  }
  function check(link) {
    fetch(link.getAttribute("data-health"), { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (r.ok) back(); else wait(link); })
      .catch(function () { wait(link); });
  }
  document.addEventListener("click", function (e) {
    var link = e.target && e.target.closest ? e.target.closest("[data-history-back]") : null;
    if (!link || window.history.length < 2) return;
    e.preventDefault();
    if (!link.getAttribute("data-health") || !window.fetch) { back(); return; }
    if (waiting) return;
    waiting = true;
    check(link);
  });
})();
