/* Optional filtering and ordering of the matrix; the page is complete without it. */
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  var controls = document.getElementById("matrix-controls");
  if (!table || !controls) { return; }
  var text = document.getElementById("f-text");
  var failing = document.getElementById("f-fail");
  var order = document.getElementById("f-order");
  var status = document.getElementById("f-status");
  var groups = Array.prototype.slice.call(table.tBodies);
  var rows = [];
  function isNotice(tr) {
    return tr.cells.length > 1 && tr.cells[0].getAttribute("scope") === "row";
  }
  groups.forEach(function (body) {
    var label = body.querySelector("th[scope=rowgroup] .name");
    var name = label ? label.textContent : "";
    Array.prototype.forEach.call(body.rows, function (tr) {
      if (!isNotice(tr)) { return; }
      rows.push({
        tr: tr,
        home: body,
        name: name,
        score: parseFloat(tr.cells[2].textContent),
        pass: tr.cells[3].className !== "fl",
        text: (name + " " + tr.cells[0].textContent).toLowerCase()
      });
    });
  });
  var flat = document.createElement("tbody");
  flat.hidden = true;
  table.appendChild(flat);
  var current = "group";
  var labelled = false;

  /* Out of their groups, rows name their organisation (textContent: never parsed as HTML). */
  function labelRows() {
    if (labelled) { return; }
    labelled = true;
    rows.forEach(function (r) {
      var span = document.createElement("span");
      span.className = "org";
      span.textContent = r.name;
      r.tr.cells[0].appendChild(span);
    });
  }

  function apply() {
    var needle = text.value.trim().toLowerCase();
    var mode = order.value;
    var shown = 0;
    if (mode === "group" && current !== "group") {
      rows.forEach(function (r) { r.home.appendChild(r.tr); });
    } else if (mode !== "group" && mode !== current) {
      labelRows();
      rows.slice().sort(function (a, b) {
        return mode === "asc" ? a.score - b.score : b.score - a.score;
      }).forEach(function (r) { flat.appendChild(r.tr); });
    }
    current = mode;
    table.classList.toggle("grouped", mode === "group");
    flat.hidden = mode === "group";
    rows.forEach(function (r) {
      var keep = (!needle || r.text.indexOf(needle) !== -1) && (!failing.checked || !r.pass);
      r.tr.hidden = !keep;
      if (keep) { shown += 1; }
    });
    groups.forEach(function (body) {
      var any = Array.prototype.some.call(body.rows, function (tr) {
        return isNotice(tr) && !tr.hidden;
      });
      body.hidden = mode !== "group" || !any;
    });
    status.textContent = "Showing " + shown + " of " + rows.length + (rows.length === 1 ? " notice." : " notices.");
  }

  var timer = null;
  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 150);
  });
  failing.addEventListener("change", apply);
  order.addEventListener("change", apply);
  controls.hidden = false;
  if (text.value || failing.checked || order.value !== "group") {
    apply();  /* the browser restored the controls' state */
  } else {
    status.textContent = rows.length === 1 ? "Showing the one notice." : "Showing all " + rows.length + " notices.";
  }
}());
