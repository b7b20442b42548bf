// Live progress of a job: polls its small JSON view every second until the job ends, without reloading.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) return;
  var url = box.getAttribute("data-url");
  function text(el, value) { if (el) el.textContent = value; }
  function render(s) {
    var pct = s.total ? Math.round(100 * (s.done + s.failed) / s.total) : 0;
    var bar = box.querySelector(".progress");
    bar.firstElementChild.style.width = pct + "%";
    bar.classList.toggle("failed", s.failed > 0);
    text(box.querySelector("[data-state]"), s.state_label);
    box.querySelector("[data-state]").className = "badge " + s.state_class;
    text(box.querySelector("[data-count]"), (s.done + s.failed) + " / " + s.total + "（成功 " + s.done + "，失败 " + s.failed + "）");
    var err = box.querySelector("[data-error]");
    if (err) { err.textContent = s.error || ""; err.hidden = !s.error; }
    var body = box.querySelector("tbody[data-items]");
    if (body) {
      body.innerHTML = "";
      s.items.forEach(function (it) {
        var tr = document.createElement("tr");
        var a = document.createElement("td"); a.className = "num"; a.textContent = it.index + 1;
        var b = document.createElement("td"); b.textContent = it.label;
        var c = document.createElement("td"); var badge = document.createElement("span");
        badge.className = "badge " + (it.state === "succeeded" ? "ok" : "failed");
        badge.textContent = it.state === "succeeded" ? "成功" : "失败"; c.appendChild(badge);
        var d = document.createElement("td"); d.textContent = it.error || ""; d.className = "small";
        tr.append(a, b, c, d); body.appendChild(tr);
      });
    }
    if (s.final) {
      // the downloads and previews are server-rendered: show them once, when the job has ended
      if (box.getAttribute("data-final") !== "1") window.location.reload();
      return true;
    }
    return false;
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (!s || !render(s)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 1000); });
  }
  if (box.getAttribute("data-final") !== "1") poll();
})();
