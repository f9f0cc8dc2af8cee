// The header's unread count: asked again every data-poll-seconds and whenever the tab
// comes back into view, so a citizen sees an officer's action without reloading.
(function () {
  "use strict";
  var link = document.querySelector(".inbox-link[data-unread-url]");
  var badge = document.getElementById("unread-count");
  if (!link || !badge || !window.fetch) return;
  var seconds = parseInt(link.getAttribute("data-poll-seconds"), 10) || 60;
  var busy = false;
  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(link.getAttribute("data-unread-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && typeof data.unread === "number") {
          badge.textContent = String(data.unread);
          badge.classList.toggle("none", data.unread === 0);
        }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
