/* Progressive enhancement for the dossier draft: autosave typed fields, and keep a
   double click on "Nộp hồ sơ" from sending twice (the server is idempotent anyway). */
(function () {
  var form = document.getElementById("dossier-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data.append(el.name, el.value);
    });
    data.set("op", "autosave");
    fetch(form.getAttribute("data-autosave"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) {
        if (status) status.textContent = r.ok ? "Đã lưu nháp lúc " + new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }) : "";
      })
      .catch(function () { if (status) status.textContent = "Chưa lưu được (mất mạng?). Nội dung vẫn còn trên trang."; });
  }
  form.addEventListener("input", function (e) {
    if (e.target.type === "file") return;
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });
  form.addEventListener("submit", function (e) {
    var btn = e.submitter;
    if (btn && btn.hasAttribute("data-once")) {
      if (btn.getAttribute("aria-disabled") === "true") { e.preventDefault(); return; }
      setTimeout(function () { btn.setAttribute("aria-disabled", "true"); btn.textContent = "Đang nộp…"; }, 0);
    }
  });
})();
