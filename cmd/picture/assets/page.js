// The page of a run's picture: choosing a step lights its component and arrow; the live page
// follows the run through Server-Sent Events and steps the control plane from its buttons.
(function () {
  "use strict";
  var body = document.body;
  var picture = document.getElementById("picture");
  var list = document.getElementById("steps-list");
  var status = document.getElementById("status");
  var announce = document.getElementById("announce");
  var large = document.getElementById("large");

  function steps() { return Array.prototype.slice.call(list.querySelectorAll("button.step")); }

  // light marks component c (its box, its arrow, its steps) as lit, and the chosen step.
  function light(c, chosen) {
    picture.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
    picture.querySelectorAll('[data-c="' + c + '"]').forEach(function (el) { el.classList.add("lit"); });
    steps().forEach(function (b) {
      var on = b === chosen;
      b.classList.toggle("lit", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // reveal scrolls the list of steps, not the page, to show a step: the map stays in view.
  function reveal(el) {
    var box = document.getElementById("steps");
    if (box.scrollHeight <= box.clientHeight) { return; }
    var r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.top < b.top) { box.scrollTop -= b.top - r.top; } else if (r.bottom > b.bottom) { box.scrollTop += r.bottom - b.bottom; }
  }

  function choose(button, focus) {
    light(button.getAttribute("data-c"), button);
    if (focus) { button.focus({ preventScroll: true }); }
    reveal(button);
  }

  function chooseLast() {
    var all = steps();
    if (all.length) { choose(all[all.length - 1], false); }
  }

  list.addEventListener("click", function (e) {
    var b = e.target.closest("button.step");
    if (b) { choose(b, false); }
  });
  list.addEventListener("keydown", function (e) {
    var all = steps();
    var i = all.indexOf(document.activeElement);
    if (i < 0) { return; }
    var next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 }[e.key];
    if (next === undefined) { return; }
    e.preventDefault();
    choose(all[Math.max(0, Math.min(all.length - 1, next))], true);
  });

  function setLarge(on) {
    body.classList.toggle("large", on);
    large.setAttribute("aria-pressed", on ? "true" : "false");
    try { window.localStorage.setItem("k8slearn-large", on ? "1" : ""); } catch (err) { /* a file: page may have none */ }
  }
  large.addEventListener("click", function () { setLarge(!body.classList.contains("large")); });
  try { if (window.localStorage.getItem("k8slearn-large") === "1") { setLarge(true); } } catch (err) { /* none */ }

  var control = body.getAttribute("data-control");
  function act(action) {
    if (!control) { return; }
    fetch("k8slearn/picture/" + action, { method: "POST", headers: { "X-K8slearn-Control": control }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { return r.text().then(function (t) { status.textContent = t; }); } })
      .catch(function () { status.textContent = body.getAttribute("data-disconnected") || ""; });
  }
  var stepButton = document.getElementById("step");
  var runButton = document.getElementById("run");
  if (stepButton) { stepButton.addEventListener("click", function () { act("step"); }); }
  if (runButton) { runButton.addEventListener("click", function () { act("run"); }); }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "Escape") { chooseLast(); return; }
    if (e.key === "+") { setLarge(!body.classList.contains("large")); return; }
    if (e.key === "s" && stepButton) { act("step"); return; }
    if (e.key === "r" && runButton) { act("run"); return; }
  });

  if (body.getAttribute("data-live") !== "true" || !window.EventSource) { return; }
  var events = new EventSource("k8slearn/picture/events");
  events.addEventListener("open", function () { status.textContent = body.getAttribute("data-connected") || status.textContent; });
  events.addEventListener("error", function () { status.textContent = body.getAttribute("data-disconnected") || ""; });
  events.addEventListener("end", function () {
    events.close();
    status.textContent = body.getAttribute("data-ended") || "";
    if (stepButton) { stepButton.disabled = true; }
    if (runButton) { runButton.disabled = true; }
  });
  events.addEventListener("message", function (e) {
    var f = JSON.parse(e.data);
    var focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("#steps-list") : null;
    picture.innerHTML = f.svg;
    list.innerHTML = f.steps;
    document.getElementById("title").textContent = f.title;
    document.getElementById("subtitle").textContent = f.subtitle;
    document.title = f.title;
    body.setAttribute("data-seq", String(f.seq));
    if (f.announce) { announce.textContent = f.announce; }
    var all = steps();
    if (all.length) { reveal(all[all.length - 1]); }
    if (focused && all.length) { all[all.length - 1].focus({ preventScroll: true }); }
  });
})();
