// The review page's only script: keyboard navigation between changes (n/j next, p/k
// previous) and, on the index, sorting and filtering. No work per line on load: the
// list of changes is collected on the first key press.
(function () {
  "use strict";
  var changes = null, at = -1;
  function go(step) {
    if (changes === null) { changes = document.querySelectorAll(".row.chg"); }
    if (!changes.length) { return; }
    var here = document.activeElement, i = Array.prototype.indexOf.call(changes, here);
    at = i >= 0 ? i + step : (step > 0 ? at + 1 : Math.max(at - 1, 0));
    at = Math.max(0, Math.min(changes.length - 1, at));
    changes[at].focus();
    changes[at].scrollIntoView({block: "center"});
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target && e.target.tagName;
    if (t === "INPUT" || t === "SELECT" || t === "TEXTAREA") { return; }
    if (e.key === "n" || e.key === "j") { go(1); e.preventDefault(); }
    if (e.key === "p" || e.key === "k") { go(-1); e.preventDefault(); }
  });
  var table = document.querySelector("table.index");
  if (!table) { return; }
  var body = table.tBodies[0];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.addEventListener("click", function () {
      var dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
      th.setAttribute("data-dir", dir > 0 ? "asc" : "desc");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-sort"), y = b.cells[col].getAttribute("data-sort");
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
        return c * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var status = document.getElementById("f-status"), warning = document.getElementById("f-warning");
  function filter() {
    Array.prototype.forEach.call(body.rows, function (r) {
      var ok = (!status.value || r.getAttribute("data-status") === status.value) &&
        (!warning.value || (" " + r.getAttribute("data-warnings") + " ").indexOf(" " + warning.value + " ") >= 0);
      r.className = ok ? "" : "hidden";
    });
  }
  status.addEventListener("change", filter);
  warning.addEventListener("change", filter);
})();
