// The owner's pages: doors (open, count down, close; invites with their QR code), identities and
// the audit log. Every action is one call of the JSON API that scripts and `splicer door …` use.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const pages = [...document.querySelectorAll("#pages a")].map((link) => link.dataset.page); // the first is the default

  const access = {
    antiforgery: null,
    doors: [],          // the last list from /api/doors
    deadlines: new Map(), // door id → performance.now() at which it expires
    identities: [],
    auditBefore: null,
  };
  window.splicerAccess = access; // read by the browser test and handy in the console

  // ---- formatting ----

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : 1)) + " " + units[i];
  }

  function countdown(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24, m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    const two = (n) => String(n).padStart(2, "0");
    return (d > 0 ? `${d}d ` : "") + (d > 0 || h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`);
  }

  const when = (iso) => iso ? new Date(iso).toLocaleString() : "never";

  // "10G", "512M", "1000" → bytes; "" → null; anything else → NaN.
  function parseBytes(text) {
    text = text.trim();
    if (text === "") return null;
    const match = /^(\d+)\s*([KMGT])?(i?B)?$/i.exec(text);
    if (!match) return NaN;
    const shift = { K: 10, M: 20, G: 30, T: 40 }[(match[2] || "").toUpperCase()] || 0;
    return Number(match[1]) * 2 ** shift;
  }

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function button(text, className, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (className) b.className = className;
    b.addEventListener("click", onClick);
    return b;
  }

  // ---- API ----

  async function problemOf(response) {
    try {
      const problem = await response.json();
      return problem.detail || problem.title || `${response.status}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin" });
    if (!response.ok) throw new Error(await problemOf(response));
    return response.json();
  }

  // A state-changing call with the antiforgery token; resolves to the answer's JSON (or null), rejects with the problem's text.
  async function send(method, path, body) {
    const { headerName, token } = access.antiforgery ??= await getJson("/api/antiforgery");
    const headers = { [headerName]: token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(await problemOf(response));
    return response.status === 204 ? null : response.json();
  }

  // ---- pages ----

  function show(page) {
    if (!pages.includes(page)) page = pages[0];
    for (const name of pages) $("page-" + name).classList.toggle("hidden", name !== page);
    for (const link of document.querySelectorAll("#pages a")) link.classList.toggle("current", link.dataset.page === page);
    if (page === "dashboard") window.dispatchEvent(new Event("resize")); // the chart sizes itself to a visible box
    if (page === "doors") { loadIdentities().catch(console.warn); loadDoors().catch(console.warn); }
    if (page === "identities") loadIdentities().catch((e) => { $("identities-error").textContent = e.message; });
    if (page === "audit") loadAudit(true).catch(console.warn);
  }

  // ---- doors ----

  function who(door) {
    if (door.kind === "address") return "from " + door.addressPrefix;
    const parts = [];
    if (door.identities.length > 0) parts.push("identities " + door.identities.join(", "));
    for (const invite of door.invites) parts.push(`invite used ${invite.usesMade}/${invite.usesAllowed}`);
    return parts.join("; ") || "nobody yet";
  }

  async function loadDoors() {
    const all = $("show-shut-doors").checked;
    const doors = await getJson(all ? "/api/doors?all=true" : "/api/doors");
    const now = performance.now();
    access.doors = doors;
    access.deadlines = new Map(doors.filter((d) => d.state !== "closed" && d.state !== "expired")
      .map((d) => [d.id, now + d.remainingSeconds * 1000]));
    renderDoors();
  }

  function renderDoors() {
    const body = $("doors").tBodies[0];
    body.replaceChildren();
    for (const door of access.doors) {
      const row = body.insertRow();
      row.dataset.doorId = door.id;
      cell(row, door.id);
      cell(row, door.name);
      cell(row, door.kind);
      cell(row, who(door));
      // Used: from the usage totals; left: what the door's own allowance still lets through.
      cell(row, door.sessionsLeft == null ? `${door.sessionsUsed}` : `${door.sessionsUsed} (${door.sessionsLeft} of ${door.maxSessions} left)`, "num");
      cell(row, door.bytesLeft == null ? bytes(door.bytesUsed) : `${bytes(door.bytesUsed)} (${bytes(door.bytesLeft)} of ${bytes(door.maxBytes)} left)`, "num");
      const state = cell(row, door.state, "state state-" + door.state);
      if (door.closeReason) state.title = door.closeReason;
      const left = cell(row, "", "num countdown");
      left.title = "until " + when(door.expiresAt);
      const actions = row.insertCell();
      if (door.state === "open" || door.state === "exhausted") {
        const reason = document.createElement("input");
        reason.className = "close-reason";
        reason.placeholder = "reason (optional)";
        reason.maxLength = 200;
        actions.append(reason, " ", button("close", "danger close-door", (e) => closeDoor(door.id, reason.value.trim(), e.target)));
      } else {
        actions.textContent = door.closeReason ?? "";
      }
    }

    $("no-doors").classList.toggle("hidden", access.doors.length > 0);
    tick();
  }

  // The live countdown: from the time left the server reported, on this page's own clock.
  function tick() {
    const now = performance.now();
    let expired = false;
    for (const row of $("doors").tBodies[0].rows) {
      const deadline = access.deadlines.get(Number(row.dataset.doorId));
      const left = row.querySelector(".countdown");
      if (deadline === undefined) { left.textContent = "–"; continue; }
      const seconds = (deadline - now) / 1000;
      left.textContent = countdown(seconds);
      if (seconds <= 0) expired = true;
    }

    if (expired && !access.reloading) {
      access.reloading = true; // the server says what it became (expired), once
      setTimeout(() => loadDoors().catch(console.warn).finally(() => { access.reloading = false; }), 500);
    }
  }

  async function closeDoor(id, reason, closeButton) {
    closeButton.disabled = true;
    try {
      await send("POST", `/api/doors/${id}/close`, reason ? { reason } : {});
      await loadDoors();
    } catch (e) {
      closeButton.disabled = false;
      alertIn("open-door-error", e.message);
    }
  }

  function alertIn(id, text) {
    $(id).textContent = text;
  }

  function kindChanged() {
    const address = $("open-door").elements.kind.value === "address";
    for (const element of document.querySelectorAll("#open-door .for-invite")) element.classList.toggle("hidden", address);
    for (const element of document.querySelectorAll("#open-door .for-address")) element.classList.toggle("hidden", !address);
  }

  async function openDoor(event) {
    event.preventDefault();
    const form = event.target.elements;
    alertIn("open-door-error", "");
    const request = { kind: form.kind.value, duration: form.duration.value.trim() };
    if (form.name.value.trim()) request.name = form.name.value.trim();
    if (form.maxSessions.value) request.maxSessions = Number(form.maxSessions.value);
    const maxBytes = parseBytes(form.maxBytes.value);
    if (Number.isNaN(maxBytes)) { alertIn("open-door-error", "max bytes must be a number, optionally with K, M, G or T"); return; }
    if (maxBytes !== null) request.maxBytes = maxBytes;
    if (request.kind === "address") {
      request.addressPrefix = form.addressPrefix.value.trim();
    } else {
      request.identities = [...document.querySelectorAll("#door-identities input:checked")].map((box) => Number(box.value));
      if (form.inviteUses.value !== "") request.inviteUses = Number(form.inviteUses.value);
    }

    $("open-door-button").disabled = true;
    try {
      const answer = await send("POST", "/api/doors", request);
      showInvite(answer);
      await loadDoors();
    } catch (e) {
      alertIn("open-door-error", e.message);
    } finally {
      $("open-door-button").disabled = false;
    }
  }

  function showInvite(answer) {
    const box = $("new-invite");
    if (!answer.invite) { box.classList.add("hidden"); return; }
    $("new-invite-door").textContent = `${answer.door.id} (${answer.door.name})`;
    $("new-invite-text").value = answer.invite;
    $("new-invite-qr").src = "data:image/svg+xml;base64," + btoa(answer.inviteQrSvg);
    box.classList.remove("hidden");
  }

  // ---- identities ----

  async function loadIdentities() {
    access.identities = await getJson("/api/identities");
    renderIdentities();
    renderIdentityChoices();
  }

  function renderIdentityChoices() {
    const target = $("door-identities");
    const checked = new Set([...target.querySelectorAll("input:checked")].map((box) => box.value));
    target.replaceChildren();
    const enabled = access.identities.filter((i) => !i.disabled);
    if (enabled.length === 0) {
      const none = document.createElement("span");
      none.className = "empty";
      none.textContent = "none yet (an invite enrolls people)";
      target.append(none);
    }

    for (const identity of enabled) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = identity.id;
      box.checked = checked.has(String(identity.id));
      label.append(box, ` ${identity.name} (#${identity.id})`);
      target.append(label);
    }
  }

  function renderIdentities() {
    const body = $("identities").tBodies[0];
    body.replaceChildren();
    for (const identity of access.identities) {
      const row = body.insertRow();
      row.dataset.identityId = identity.id;
      cell(row, identity.id);
      cell(row, identity.name);
      cell(row, identity.disabled ? "disabled" : "enabled", identity.disabled ? "state-disabled" : "state-open");
      const devices = cell(row, "", "devices");
      for (const device of identity.devices) {
        const line = document.createElement("div");
        const key = document.createElement("span");
        key.className = "key";
        key.textContent = device.publicKey.slice(0, 12) + "…";
        key.title = device.publicKey;
        line.append(`${device.name} `, key, ` last used ${when(device.lastUsedAt)}`);
        devices.append(line);
      }
      if (identity.devices.length === 0) devices.textContent = "none";
      cell(row, `${identity.usage.sessions} · ${bytes(identity.usage.bytes)}`, "num");
      cell(row, when(identity.lastUsedAt));
      cell(row, identity.doors.join(", "));
      const actions = row.insertCell();
      actions.append(
        identity.disabled
          ? button("enable", "enable-identity", () => change("POST", `/api/identities/${identity.id}/enable`))
          : button("disable", "disable-identity", () => change("POST", `/api/identities/${identity.id}/disable`)),
        " ",
        button("delete", "danger delete-identity", (e) => {
          // Two clicks: the first asks, the second deletes.
          if (e.target.dataset.armed) { change("DELETE", `/api/identities/${identity.id}`); return; }
          e.target.dataset.armed = "yes";
          e.target.textContent = "delete for good?";
        }));
    }

    $("no-identities").classList.toggle("hidden", access.identities.length > 0);
  }

  async function change(method, path) {
    alertIn("identities-error", "");
    try {
      await send(method, path);
    } catch (e) {
      alertIn("identities-error", e.message);
    }
    await loadIdentities();
  }

  async function addIdentity(event) {
    event.preventDefault();
    const form = event.target;
    alertIn("add-identity-error", "");
    try {
      await send("POST", "/api/identities", { name: form.elements.name.value.trim() });
      form.reset();
      await loadIdentities();
    } catch (e) {
      alertIn("add-identity-error", e.message);
    }
  }

  // ---- audit log ----

  async function loadAudit(fromNewest) {
    const body = $("audit").tBodies[0];
    if (fromNewest) { access.auditBefore = null; }
    const page = await getJson("/api/audit?limit=100" + (access.auditBefore ? `&before=${access.auditBefore}` : ""));
    if (fromNewest) body.replaceChildren();
    for (const entry of page.entries) {
      const row = body.insertRow();
      row.dataset.auditId = entry.id;
      cell(row, entry.id);
      cell(row, when(entry.at));
      cell(row, entry.actor);
      cell(row, entry.action, "token");
      cell(row, entry.detail, "detail");
    }

    access.auditBefore = page.nextBefore;
    $("audit-older").classList.toggle("hidden", page.nextBefore == null);
    $("no-audit").classList.toggle("hidden", body.rows.length > 0);
  }

  // ---- start ----

  $("open-door").addEventListener("submit", openDoor);
  $("open-door").elements.kind.addEventListener("change", kindChanged);
  $("show-shut-doors").addEventListener("change", () => loadDoors().catch(console.warn));
  $("copy-invite").addEventListener("click", () => { $("new-invite-text").select(); navigator.clipboard?.writeText($("new-invite-text").value).catch(() => {}); });
  $("dismiss-invite").addEventListener("click", () => { $("new-invite").classList.add("hidden"); $("new-invite-text").value = ""; });
  $("add-identity").addEventListener("submit", addIdentity);
  $("audit-older").addEventListener("click", () => loadAudit(false).catch(console.warn));
  window.addEventListener("hashchange", () => show(location.hash.slice(1)));
  setInterval(tick, 250);
  // Doors change on their own (expiry, sessions, bytes, the CLI): refresh the list while it is shown.
  // Not while the owner types a close reason: the table is drawn anew.
  setInterval(() => {
    const typing = document.activeElement?.classList.contains("close-reason");
    if (!$("page-doors").classList.contains("hidden") && !typing) loadDoors().catch(console.warn);
  }, 5000);
  kindChanged();
  show(location.hash.slice(1));
})();
