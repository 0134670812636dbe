// Keyboard review without full page reloads: decisions and j/k fetch the next pair as partial
// HTML and swap it in. Keys: a accept, r reject, s skip, u undo, j/k next/previous. An accept
// sends the surviving values the steward chose (person ids per field, never the values).
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const flash = (text, bad) => {
    const box = document.getElementById("flash");
    if (!box) return;
    box.textContent = text || "";
    box.className = text ? (bad ? "show bad" : "show") : "";
  };
  const card = () => document.getElementById("pair-card");
  let busy = false;

  async function swap(url, options) {
    if (busy) return;
    busy = true;
    try {
      const opts = Object.assign({ headers: {} }, options || {});
      opts.headers["X-Partial"] = "1";
      opts.credentials = "same-origin";
      const answer = await fetch(url, opts);
      const text = await answer.text();
      if (!answer.ok) {
        let message = text;
        try { message = JSON.parse(text).detail || text; } catch (e) { /* plain text */ }
        flash(answer.status + ": " + message, true);
        return;
      }
      document.getElementById("pair").innerHTML = text;
      flash(answer.headers.get("X-Flash") || "");
      const current = card();
      const id = current ? current.dataset.candidateId : "";
      if (id) history.replaceState(null, "", "/review/pair/" + id + location.search);
    } catch (error) {
      flash("network error", true);
    } finally {
      busy = false;
    }
  }

  function post(path, body) {
    const headers = { "X-CSRF-Token": csrf() };
    if (body) headers["Content-Type"] = "application/x-www-form-urlencoded";
    return swap(path + location.search, { method: "POST", headers: headers, body: body });
  }

  // The steward's surviving-value choices: field -> person id (only the fields chosen).
  function keptValues() {
    const form = document.getElementById("survivor-form");
    if (!form) return undefined;
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) body.append(name, value);
    return body.toString() || undefined;
  }

  function decide(action) {
    if (action === "undo") return post("/review/undo");
    const current = card();
    if (!current) return;
    const button = document.querySelector('button[data-action="' + action + '"]');
    if (!button || button.disabled) return;
    const body = action === "accept" ? keptValues() : undefined;
    return post("/review/pair/" + current.dataset.candidateId + "/" + action, body);
  }

  function move(direction) {
    const current = card();
    if (!current) return;
    const id = direction === "next" ? current.dataset.next : current.dataset.prev;
    if (id) swap("/review/pair/" + id + location.search);
  }

  function queueMove(step) {
    const rows = Array.from(document.querySelectorAll("#queue tbody tr[data-href]"));
    if (!rows.length) return;
    let i = rows.findIndex((r) => r.classList.contains("selected"));
    if (step === 0) { if (i >= 0) location.href = rows[i].dataset.href; return; }
    if (i >= 0) rows[i].classList.remove("selected");
    i = Math.max(0, Math.min(rows.length - 1, i + step));
    rows[i].classList.add("selected");
    rows[i].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action], button[data-nav]");
    if (!target || !document.getElementById("pair")) return;
    event.preventDefault();
    if (target.dataset.action) decide(target.dataset.action);
    else move(target.dataset.nav);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    const choice = tag === "input" && (event.target.type === "radio" || event.target.type === "checkbox");
    if ((tag === "input" && !choice) || tag === "select" || tag === "textarea") return;
    if (document.getElementById("pair")) {
      const actions = { a: "accept", r: "reject", s: "skip", u: "undo" };
      if (actions[event.key]) { event.preventDefault(); decide(actions[event.key]); }
      else if (event.key === "j") { event.preventDefault(); move("next"); }
      else if (event.key === "k") { event.preventDefault(); move("prev"); }
    } else if (document.getElementById("queue")) {
      if (event.key === "j") queueMove(1);
      else if (event.key === "k") queueMove(-1);
      else if (event.key === "Enter") queueMove(0);
    }
  });
})();
