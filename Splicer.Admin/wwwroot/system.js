// The dashboard's System panel: the appliance version and slot running, the other slot's version, and an
// update: upload a bundle (its bytes' progress), RAUC's progress installing it, then reboot. Where the
// system has no update service (not the appliance), only the versions and the reason are shown.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const system = { view: null, uploading: false, antiforgery: null };
  window.splicerSystem = system; // read by the browser test and handy in the console

  const mib = (n) => (n / 1048576).toFixed(1) + " MiB";

  function problemOf(text, status) {
    try {
      const problem = JSON.parse(text);
      return problem.detail || problem.title || String(status);
    } catch {
      return `${status}`;
    }
  }

  async function antiforgery() {
    if (system.antiforgery) return system.antiforgery;
    const response = await fetch("/api/antiforgery", { credentials: "same-origin" });
    if (!response.ok) throw new Error(`antiforgery: ${response.status}`);
    return (system.antiforgery = await response.json());
  }

  function showProgress(percent, text) {
    $("system-progress").classList.toggle("hidden", percent == null);
    if (percent != null) $("system-progress-bar").value = percent;
    $("system-progress-text").textContent = text || "";
  }

  const busyStates = ["uploading", "requested", "installing"];

  function render(view) {
    system.view = view;
    $("system-versions").textContent = "Splicer " + view.splicerVersion;
    $("system-version").textContent = view.applianceVersion || view.splicerVersion;
    $("system-slot").textContent = view.bootedSlot || "–";
    const other = view.slots.find((slot) => !slot.booted);
    $("system-other").textContent = other
      ? `slot ${other.name}: ${other.version || "the image's system"} (${other.bootStatus || other.state})`
      : "";
    $("system-reason").textContent = view.updates ? "" : view.reason;
    $("system-update").classList.toggle("hidden", !view.updates);
    const update = view.update;
    const busy = system.uploading || busyStates.includes(update.state);
    $("system-upload").disabled = busy;
    $("system-reboot").disabled = busy;
    if (system.uploading) return; // the upload's own progress is shown
    if (update.state === "requested") showProgress(0, "waiting for the update service…");
    else if (update.state === "installing") showProgress(update.percent ?? 0, `installing: ${update.message || ""}`);
    else if (update.state === "installed") showProgress(100, "installed: reboot to run it");
    else if (update.state === "failed") showProgress(0, `failed: ${update.message || ""}`);
    else showProgress(null);
  }

  async function load() {
    const response = await fetch("/api/system", { credentials: "same-origin" });
    if (!response.ok) throw new Error(`system: ${response.status} ${response.statusText}`);
    render(await response.json());
  }

  // XMLHttpRequest, not fetch: only it reports an upload's progress.
  function upload(file, token) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open("POST", "/api/system/update");
      request.setRequestHeader(token.headerName, token.token);
      request.setRequestHeader("Content-Type", "application/octet-stream");
      request.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) showProgress(Math.floor((100 * e.loaded) / e.total), `uploading ${mib(e.loaded)} of ${mib(e.total)}`);
      });
      request.addEventListener("load", () => {
        if (request.status === 202) resolve();
        else reject(new Error(problemOf(request.responseText, request.status)));
      });
      request.addEventListener("error", () => reject(new Error("the upload was cut off")));
      request.send(file);
    });
  }

  $("system-update").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = e.target.elements.bundle.files[0];
    if (!file) return;
    $("system-error").textContent = "";
    system.uploading = true;
    $("system-upload").disabled = true;
    try {
      await upload(file, await antiforgery());
    } catch (error) {
      $("system-error").textContent = error.message;
    } finally {
      system.uploading = false;
      e.target.reset();
      await load().catch(console.warn);
    }
  });

  $("system-reboot").addEventListener("click", async () => {
    if (!confirm("Reboot the box now? Sessions running are cut.")) return;
    $("system-error").textContent = "";
    try {
      const token = await antiforgery();
      const response = await fetch("/api/system/reboot", { method: "POST", credentials: "same-origin", headers: { [token.headerName]: token.token } });
      if (!response.ok) throw new Error(problemOf(await response.text(), response.status));
      showProgress(null, "");
      $("system-reason").textContent = "rebooting…";
    } catch (error) {
      $("system-error").textContent = error.message;
    }
  });

  const shown = () => !$("page-dashboard").classList.contains("hidden");
  const refresh = () => load().catch((error) => { $("system-error").textContent = error.message; });
  window.addEventListener("hashchange", () => { if (shown()) refresh(); });
  setInterval(() => { if (shown() && !system.uploading) refresh(); }, 2000);
  refresh();
})();
