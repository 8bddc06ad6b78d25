// The review page's only script (the page: cleaner/review.py). A row arrives as
// <p id="L47" data-x="3" data-f="5*12 7">the line, its changes marked</p>; when its block of
// rows comes near the window the script lays each row out as line number, source and clean
// result, labels its removals and names the rules of its repairs from the legend (#legend).
// No work per line on load: blocks are laid out as they come near, the rest when the
// browser is idle. It also moves between changes (n/j next, p/k previous) and, on the
// index, sorts and filters.
(function () {
  "use strict";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var legend = {};
  each(document.querySelectorAll("#legend li[id]"), function (li) { legend[li.id.slice(1)] = li; });

  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function rule(code) { return legend[code] ? legend[code].getAttribute("data-rule") : "rule " + code; }
  function kind(code) { return legend[code] ? legend[code].getAttribute("data-kind") : ""; }
  // a mark names its rule (class r7) unless it is the row's first (data-f)
  function codeOf(mark, row) {
    var m = /(?:^| )r(\d+)(?: |$)/.exec(mark.className);
    return m ? m[1] : (row.getAttribute("data-f") || "").split(/[ *]/)[0];
  }

  function layOut(row) {
    var number = make("a", "n", row.id.slice(1)), source = make("span", "s"), result = make("span", "o");
    number.href = "#" + row.id;
    while (row.firstChild) { source.appendChild(row.firstChild); }
    (row.getAttribute("data-x") || "").split(" ").forEach(function (code) {
      if (code) {
        var cls = legend[code] ? legend[code].className : "";
        result.appendChild(make("span", "lbl removal " + cls, kind(code) + " · " + rule(code)));
      }
    });
    var copy = source.cloneNode(true);
    if (row.classList.contains("x")) {  // removed whole: its notes only
      each(copy.querySelectorAll(".nt, .wn"), function (e) { result.appendChild(e); });
    } else {
      while (copy.firstChild) { result.appendChild(copy.firstChild); }
    }
    each(result.querySelectorAll(".split"), function (m) {  // a split names its rule; a join is on hover
      m.appendChild(make("small", "", " · " + rule(codeOf(m, row))));
    });
    var tally = row.getAttribute("data-f");
    if (tally) {
      result.appendChild(make("span", "sum", tally.split(" ").map(function (item) {
        var part = item.split("*");
        return rule(part[0]) + (part[1] ? " ×" + part[1] : "");
      }).join(" · ")));
    }
    row.appendChild(number);
    row.appendChild(source);
    row.appendChild(result);
    row.classList.add("f");
  }
  var blocks = document.querySelectorAll("main .k"), next = 0;
  function fill(block) {
    if (block && !block.classList.contains("f")) {
      block.classList.add("f");
      each(block.children, layOut);
    }
  }
  if (blocks.length) {
    fill(blocks[0]);
    if (window.IntersectionObserver) {
      var near = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { near.unobserve(e.target); fill(e.target); }
        });
      }, {rootMargin: "1500px 0px"});
      each(blocks, function (b) { near.observe(b); });
    }
    var toHash = function () {
      var t = location.hash && document.getElementById(location.hash.slice(1));
      if (t && t.parentNode.classList.contains("k")) { fill(t.parentNode); }
    };
    toHash();
    window.addEventListener("hashchange", toHash);
    // the rest while the browser is idle, so that find in page sees every clean line
    var idle = function (deadline) {
      while (next < blocks.length && deadline.timeRemaining() > 4) { fill(blocks[next++]); }
      if (next < blocks.length) { window.requestIdleCallback(idle); }
    };
    if (window.requestIdleCallback) { window.requestIdleCallback(idle); }
  }

  // a change's rule on hover: "punct-fullwidth (repair): ',' → '，'"
  document.addEventListener("mouseover", function (e) {
    var m = e.target.closest && e.target.closest(".o del, .o ins, .o .split, .o .join");
    if (!m || m.title) { return; }
    var code = codeOf(m, m.closest("p")), what = "";
    if (m.tagName === "DEL" || m.tagName === "INS") {
      var del = m.tagName === "DEL" ? m : (m.previousSibling && m.previousSibling.tagName === "DEL" ? m.previousSibling : null);
      var ins = m.tagName === "INS" ? m : (m.nextSibling && m.nextSibling.tagName === "INS" ? m.nextSibling : null);
      what = ": '" + (del ? del.textContent : "") + "' → '" + (ins ? ins.textContent : "") + "'";
    }
    m.title = rule(code) + " (" + kind(code) + ")" + what;
  });

  var changes = null, at = -1;
  function go(step) {
    if (changes === null) { changes = document.querySelectorAll("main .c"); }
    if (!changes.length) { return; }
    var here = document.activeElement, i = Array.prototype.indexOf.call(changes, here);
    at = i >= 0 ? i + step : (step > 0 ? at + 1 : Math.max(at - 1, 0));
    at = Math.max(0, Math.min(changes.length - 1, at));
    var row = changes[at];
    fill(row.parentNode);
    row.tabIndex = -1;
    row.focus();
    row.scrollIntoView({block: "center"});
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
  each(table.tHead.rows[0].cells, function (th, col) {
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
    each(body.rows, function (r) {
      var ok = (!status.value || r.getAttribute("data-status") === status.value) &&
        (!warning.value || (" " + r.getAttribute("data-warnings") + " ").indexOf(" " + warning.value + " ") >= 0);
      r.className = ok ? "" : "hidden";
    });
  }
  status.addEventListener("change", filter);
  warning.addEventListener("change", filter);
})();
