// stepwire console: live updates by server-sent events, JSON checks on
// input editors, heartbeat countdowns. The pages work without it.
"use strict";
(function () {
  const dot = document.getElementById("live-dot");

  function keepOpen(root) {
    const open = new Set();
    root.querySelectorAll("details[id][open]").forEach(d => open.add(d.id));
    return open;
  }

  let fetching = false, again = false;
  async function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    try {
      const res = await fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const fresh = doc.getElementById("live"), cur = document.getElementById("live");
      if (!fresh || !cur) return;
      const open = keepOpen(cur);
      fresh.querySelectorAll("details[id]").forEach(d => { if (open.has(d.id)) d.open = true; });
      cur.replaceWith(document.adoptNode(fresh));
      startCountdowns();
      document.dispatchEvent(new CustomEvent("stepwire:updated"));
    } finally {
      fetching = false;
      if (again) { again = false; refresh(); }
    }
  }

  function live() {
    if (!document.getElementById("live") || !window.EventSource) return;
    const src = new EventSource("/console/events?watch=" + encodeURIComponent(location.pathname + location.search) +
      "&print=" + encodeURIComponent(document.body.dataset.print || ""));
    src.addEventListener("open", () => { dot && dot.classList.add("on"); document.body.dataset.live = "on"; });
    src.addEventListener("error", () => { dot && dot.classList.remove("on"); });
    src.addEventListener("change", refresh);
  }

  let timer = null;
  function startCountdowns() {
    const els = document.querySelectorAll(".countdown[data-left-ms]");
    if (timer) clearInterval(timer);
    if (!els.length) return;
    const t0 = Date.now();
    const tick = () => els.forEach(el => {
      const left = Math.max(0, Number(el.dataset.leftMs) - (Date.now() - t0));
      el.textContent = Math.ceil(left / 1000) + "s";
    });
    tick();
    timer = setInterval(tick, 1000);
  }

  function checkJSON(area) {
    const err = document.getElementById(area.id + "-error");
    const btn = area.form && area.form.querySelector("button");
    let msg = "";
    if (area.value.trim() !== "") {
      try { JSON.parse(area.value); } catch (e) { msg = "Not valid JSON: " + e.message; }
    }
    area.classList.toggle("invalid", msg !== "");
    area.setCustomValidity(msg);
    if (err) err.textContent = msg;
    if (btn) btn.disabled = msg !== "";
  }

  document.querySelectorAll("textarea[data-json]").forEach(a => {
    a.addEventListener("input", () => checkJSON(a));
    checkJSON(a);
  });
  startCountdowns();
  live();
})();
