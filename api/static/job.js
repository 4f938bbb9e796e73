// Polls the job's state (the session's twin of GET /api/v1/jobs/{id}) and moves the bar;
// opens the results when the validation is done. Without JavaScript a meta refresh does the same.
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var TEXT = {queued: "menunggu giliran", running: "sedang diperiksa", done: "selesai", failed: "gagal"};
  function show(s) {
    var pct = Math.round((s.progress || 0) * 100);
    document.getElementById("bar-fill").style.width = pct + "%";
    box.querySelector(".bar").setAttribute("aria-valuenow", pct);
    document.getElementById("state-text").textContent = TEXT[s.state] || s.state;
    if (s.state === "failed") {
      var f = document.getElementById("failed");
      if (s.error && s.error.message) document.getElementById("failed-text").textContent = s.error.message;
      f.hidden = false;
      // Over: no bar that looks complete, no promise of updates.
      box.querySelector(".bar").hidden = true;
      document.getElementById("live-hint").hidden = true;
      document.title = "Pemeriksaan gagal";
    }
  }
  function poll() {
    fetch("/pekerjaan/" + box.dataset.job + "/keadaan", {credentials: "same-origin"})
      .then(function (r) {
        // An error answer ({"error": {...}}) ends the polling with its message.
        return r.json().then(function (b) { return r.ok ? b : {state: "failed", progress: 1, error: b.error}; });
      })
      .then(function (s) {
        show(s);
        if (s.state === "done") { window.location.href = box.dataset.result; }
        else if (s.state !== "failed") { setTimeout(poll, 700); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  if (box.dataset.state === "queued" || box.dataset.state === "running") poll();
})();
