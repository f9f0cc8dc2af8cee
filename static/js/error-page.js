/* The error pages' "Quay lại trang trước": the browser's own back, which shows the previous
   page with what was typed still in it. Going back while the database is still down would
   load that page as another error page, and what was typed would be gone: so the portal's
   health check (data-health) is asked first, and again every few seconds until it answers;
   meanwhile #back-status says so. Without this script the link opens the previous address
   afresh. */
(function () {
  var link = document.querySelector("[data-history-back]");
  if (!link || window.history.length < 2) return;
  var health = link.getAttribute("data-health");
  var status = document.getElementById("back-status");
  var waiting = false;
  function back() { window.history.back(); }
  function wait() {
    if (status) status.textContent = status.getAttribute("data-wait");
    setTimeout(check, 5000);
  }
  function check() {
    fetch(health, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (r.ok) back(); else wait(); })
      .catch(wait);
  }
  link.addEventListener("click", function (e) {
    e.preventDefault();
    if (!health || !window.fetch) { back(); return; }
    if (waiting) return;
    waiting = true;
    check();
  });
})();
