// The Splicer dashboard: one event stream from /api/events drives every figure on the page;
// ending a session goes through the same JSON API that scripts use.
"use strict";

(function () {
  const HistorySeconds = 300;
  const $ = (id) => document.getElementById(id);

  const state = {
    chart: null,
    times: [],
    aToB: [],
    bToA: [],
    antiforgery: null,
    ended: new Set(), // ended from here; an update already on its way may still list them
    lastUpdate: null,
  };
  window.splicerDashboard = state; // read by the browser test and handy in the console

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : 1)) + " " + units[i];
  }

  const rate = (n) => bytes(n) + "/s";

  function duration(seconds) {
    seconds = Math.floor(seconds);
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24, m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${m}m`;
    if (m > 0) return `${m}m ${s}s`;
    return `${s}s`;
  }

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // ---- chart ----

  function createChart() {
    const target = $("chart");
    const options = {
      width: Math.max(300, target.clientWidth - 16),
      height: 280,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1024, max * 1.1)] } },
      series: [
        {},
        { label: "A → B", stroke: "#2e6fd8", width: 2, value: (u, v) => v == null ? "–" : rate(v) },
        { label: "B → A", stroke: "#d9822b", width: 2, value: (u, v) => v == null ? "–" : rate(v) },
      ],
      axes: [{}, { size: 90, values: (u, ticks) => ticks.map(rate) }],
    };
    state.chart = new uPlot(options, [state.times, state.aToB, state.bToA], target);
    window.addEventListener("resize", () => state.chart.setSize({ width: Math.max(300, target.clientWidth - 16), height: 280 }));
  }

  function addSample(sample) {
    const t = sample.unixMilliseconds / 1000;
    if (state.times.length > 0 && t <= state.times[state.times.length - 1]) return;
    state.times.push(t);
    state.aToB.push(sample.bytesPerSecondAToB);
    state.bToA.push(sample.bytesPerSecondBToA);
    while (state.times.length > 0 && state.times[0] < t - HistorySeconds) {
      state.times.shift(); state.aToB.shift(); state.bToA.shift();
    }
  }

  function redrawChart() {
    state.chart.setData([state.times, state.aToB, state.bToA]);
  }

  // ---- tables ----

  // Rows are kept and updated in place, so that an "end" button stays put under the pointer.
  function sessionRow(body, id) {
    let row = body.querySelector(`tr[data-session-id="${id}"]`);
    if (row) return row;
    row = body.insertRow();
    row.dataset.sessionId = id;
    for (let i = 0; i < 8; i++) row.insertCell();
    row.cells[1].className = "token";
    for (const i of [5, 6, 7]) row.cells[i].className = "num";
    const button = document.createElement("button");
    button.className = "end-session";
    button.textContent = "end";
    button.addEventListener("click", () => endSession(id, row, button));
    row.insertCell().append(button);
    return row;
  }

  function renderSessions(update) {
    const body = $("sessions").tBodies[0];
    const sessions = update.sessions.filter((s) => !state.ended.has(s.id));
    const shown = new Set(sessions.map((s) => String(s.id)));
    for (const row of [...body.rows]) {
      if (!shown.has(row.dataset.sessionId)) row.remove();
    }

    sessions.forEach((s, index) => {
      const row = sessionRow(body, s.id);
      const texts = [s.id, s.tokenPrefix, s.remoteA, s.remoteB, duration(s.ageSeconds),
        bytes(s.bytesAToB), bytes(s.bytesBToA), rate(s.bytesPerSecondAToB + s.bytesPerSecondBToA)];
      texts.forEach((text, i) => { if (row.cells[i].textContent !== String(text)) row.cells[i].textContent = text; });
      if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] ?? null);
    });

    const active = update.totals.activeSessions;
    $("no-sessions").classList.toggle("hidden", active > 0);
    $("sessions-shown").textContent = active > update.sessions.length ? `(newest ${update.sessions.length} of ${active})` : "";
  }

  function renderRecent(update) {
    const body = $("recent").tBodies[0];
    body.replaceChildren();
    for (const s of update.recent) {
      const row = body.insertRow();
      row.dataset.sessionId = s.id;
      cell(row, s.id);
      cell(row, s.tokenPrefix, "token");
      cell(row, s.remoteA);
      cell(row, s.remoteB);
      cell(row, s.outcome, "outcome-" + s.outcome).title = s.detail;
      cell(row, bytes(s.bytesAToB), "num");
      cell(row, bytes(s.bytesBToA), "num");
      cell(row, s.durationSeconds.toFixed(1) + " s", "num");
      cell(row, new Date(s.endedAt).toLocaleTimeString());
    }
  }

  function render(update) {
    state.lastUpdate = update;
    const t = update.totals;
    $("version").textContent = "v" + update.version;
    $("uptime").textContent = "up " + duration(update.uptimeSeconds);
    $("rate-a-to-b").textContent = rate(update.rate.bytesPerSecondAToB);
    $("rate-b-to-a").textContent = rate(update.rate.bytesPerSecondBToA);
    $("active-sessions").textContent = t.activeSessions;
    $("waiting-tokens").textContent = t.waitingTokens;
    $("pairs-per-second").textContent = update.rate.pairsPerSecond.toFixed(1);
    $("total-bytes").textContent = bytes(t.bytesAToB + t.bytesBToA);
    $("total-sessions").textContent = t.sessionsStarted;
    $("total-connections").textContent = t.connectionsAccepted;
    const reported = t.directPaths + t.relayedPaths;
    $("direct-paths").textContent = reported === 0 ? "–" : `${Math.round(100 * t.directPaths / reported)}% of ${reported}`;
    addSample(update.rate);
    redrawChart();
    renderSessions(update);
    renderRecent(update);
  }

  // ---- API ----

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  async function endSession(id, row, button) {
    button.disabled = true;
    try {
      const { headerName, token } = state.antiforgery ??= await getJson("/api/antiforgery");
      const response = await fetch(`/api/sessions/${id}`, {
        method: "DELETE",
        credentials: "same-origin",
        headers: { [headerName]: token },
      });
      if (response.ok || response.status === 404) {
        state.ended.add(id); // 404: it ended on its own meanwhile
        row.remove();
      } else {
        button.disabled = false;
      }
    } catch (e) {
      button.disabled = false;
      throw e;
    }
  }

  function connect() {
    const status = $("connection");
    const events = new EventSource("/api/events");
    events.addEventListener("open", () => { status.textContent = "live"; status.className = "status live"; });
    events.addEventListener("error", () => { status.textContent = "reconnecting…"; status.className = "status lost"; });
    events.addEventListener("update", (e) => render(JSON.parse(e.data)));
  }

  async function start() {
    createChart();
    try {
      for (const sample of await getJson("/api/history")) addSample(sample);
      redrawChart();
    } catch (e) {
      console.warn("no history", e);
    }
    connect();
  }

  start();
})();
