// The usage page: what each identity used today and this month against its quota, the box's days
// as a bar chart drawn here in SVG (nothing fetched from elsewhere), the top talkers, and the CSV
// export. Everything comes from GET /api/usage/identities, the call scripts can make too.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const svg = "http://www.w3.org/2000/svg";
  const NearlySpent = 0.9;

  const usage = { report: null, loading: null };
  window.splicerUsage = usage; // read by the browser test and handy in the console

  // ---- formatting ----

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    const i = n < 1024 ? 0 : Math.min(units.length - 1, Math.floor(Math.log2(n) / 10));
    const value = n / 2 ** (10 * i);
    return (i === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 2 : 1)) + " " + units[i];
  }

  const percent = (share) => (share * 100).toFixed(share < 0.1 ? 1 : 0) + " %";
  const utcDay = (iso) => iso.slice(0, 10);

  function quotaText(quota) {
    const parts = [];
    if (quota.bytesPerDay != null) parts.push(bytes(quota.bytesPerDay) + "/day");
    if (quota.bytesPerMonth != null) parts.push(bytes(quota.bytesPerMonth) + "/month");
    if (quota.sessions != null) parts.push(quota.sessions + " at once");
    if (quota.bytesPerSecond != null) parts.push(bytes(quota.bytesPerSecond) + "/s");
    return parts.length === 0 ? "unlimited" : parts.join(" · ");
  }

  function cell(row, content, className) {
    const td = row.insertCell();
    td.append(content);
    if (className) td.className = className;
    return td;
  }

  // ---- identities ----

  // A quota's share turns orange near the end and red when spent; any other share stays plain.
  function shareBar(share, ofQuota) {
    const box = document.createElement("div");
    if (share == null) { box.textContent = "–"; return box; }
    box.className = "share" + (!ofQuota ? " share-plain" : share >= 1 ? " share-spent" : share >= NearlySpent ? " share-near" : "");
    const track = document.createElement("span");
    track.className = "share-track";
    const fill = document.createElement("span");
    fill.className = "share-fill";
    fill.style.width = Math.min(100, share * 100) + "%"; // CSSOM, which the page's CSP allows (a style attribute it would not)
    track.append(fill);
    const text = document.createElement("span");
    text.className = "share-text";
    text.textContent = percent(share);
    box.append(track, text);
    return box;
  }

  function renderIdentities(report) {
    const body = $("usage-identities").tBodies[0];
    body.replaceChildren();
    for (const identity of report.identities) {
      const row = body.insertRow();
      row.dataset.identityId = identity.id;
      if (identity.disabled) row.className = "state-disabled";
      cell(row, String(identity.id));
      cell(row, identity.name + (identity.disabled ? " (disabled)" : ""));
      cell(row, String(identity.sessionsNow), "num sessions-now");
      cell(row, bytes(identity.bytesToday), "num bytes-today").title = identity.bytesToday + " bytes";
      cell(row, bytes(identity.bytesThisMonth), "num bytes-month").title = identity.bytesThisMonth + " bytes";
      cell(row, quotaText(identity.quota), "quota");
      cell(row, shareBar(identity.quotaShare, true), "quota-share");
    }

    $("no-usage-identities").classList.toggle("hidden", report.identities.length > 0);
  }

  function renderTopTalkers(report, monthBytes) {
    const body = $("usage-top").tBodies[0];
    body.replaceChildren();
    report.topTalkers.forEach((talker, index) => {
      const row = body.insertRow();
      row.dataset.identityId = talker.id;
      cell(row, String(index + 1));
      cell(row, talker.name ?? `#${talker.id} (deleted)`);
      cell(row, bytes(talker.bytesThisMonth), "num");
      cell(row, shareBar(monthBytes > 0 ? talker.bytesThisMonth / monthBytes : 0, false));
    });
    $("no-usage-top").classList.toggle("hidden", report.topTalkers.length > 0);
  }

  // ---- chart ----

  function element(name, attributes, parent) {
    const node = document.createElementNS(svg, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    parent?.append(node);
    return node;
  }

  function text(parent, x, y, content, anchor) {
    element("text", { x, y, "text-anchor": anchor }, parent).textContent = content;
  }

  // One bar a day; the scale's top is the busiest day; a label on the first, middle and last day.
  function renderChart(days) {
    const [width, height, left, bottom, top] = [900, 220, 70, 22, 10];
    const chart = element("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "bytes relayed per day" });
    const most = Math.max(1024, ...days.map((day) => day.bytes));
    const plot = height - bottom - top;
    const step = (width - left) / days.length;
    for (const fraction of [0, 0.5, 1]) {
      const y = top + plot * (1 - fraction);
      element("line", { x1: left, x2: width, y1: y, y2: y, class: "grid" }, chart);
      text(chart, left - 6, y + 4, bytes(most * fraction), "end");
    }

    days.forEach((day, index) => {
      const barHeight = plot * day.bytes / most;
      const bar = element("rect", {
        x: left + index * step + step * 0.15, width: Math.max(1, step * 0.7),
        y: top + plot - barHeight, height: barHeight, class: "bar",
        "data-day": utcDay(day.day), "data-bytes": day.bytes,
      }, chart);
      element("title", {}, bar).textContent = `${utcDay(day.day)}: ${bytes(day.bytes)} in ${day.sessions} sessions`;
      const anchor = index === 0 ? "start" : index === days.length - 1 ? "end" : index === Math.floor(days.length / 2) ? "middle" : null;
      if (anchor) {
        text(chart, left + index * step + (anchor === "start" ? 0 : anchor === "end" ? step : step / 2), height - 6, utcDay(day.day).slice(5), anchor);
      }
    });
    $("usage-chart").replaceChildren(chart);
  }

  // ---- page ----

  function render(report) {
    usage.report = report;
    const today = report.days[report.days.length - 1];
    $("usage-box-today").textContent = bytes(today.bytes);
    $("usage-box-month").textContent = bytes(report.thisMonth.bytes);
    $("usage-box-sessions").textContent = today.sessions;
    $("usage-near-quota").textContent = report.identities.filter((i) => i.quotaShare >= NearlySpent).length;
    renderChart(report.days);
    renderIdentities(report);
    renderTopTalkers(report, report.thisMonth.bytes);
  }

  function exportLinks(days) {
    const from = new Date(Date.now() - days * 86400_000).toISOString();
    const query = "?from=" + encodeURIComponent(from);
    $("usage-csv").href = "/api/usage.csv" + query;
    $("usage-json").href = "/api/usage" + query;
  }

  async function load() {
    const days = Number($("usage-days").value);
    exportLinks(days);
    const response = await fetch(`/api/usage/identities?days=${days}`, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`usage: ${response.status} ${response.statusText}`);
    render(await response.json());
    $("usage-error").textContent = "";
  }

  const shown = () => !$("page-usage").classList.contains("hidden");

  // One load at a time: a slow answer is not overtaken by an older one.
  function refresh() {
    usage.loading ??= load()
      .catch((e) => { $("usage-error").textContent = e.message; })
      .finally(() => { usage.loading = null; });
    return usage.loading;
  }

  $("usage-days").addEventListener("change", refresh);
  window.addEventListener("hashchange", () => { if (shown()) refresh(); });
  setInterval(() => { if (shown()) refresh(); }, 5000);
  if (shown()) refresh();
})();
