/*
  coderpath: say so when a page has lost its workbook, instead of accepting ticks that are never saved.

  Loaded in the <head> of every page (index.html.j2, notebook_css block), before Voilà's own scripts, so it can
  watch the kernel's WebSocket from the moment Voilà opens it. Two signs that the page no longer saves:
    - the kernel's WebSocket (/api/kernels/<id>/channels) closes: the kernel was shut down, culled or died,
      or the dashboard server stopped; or it reports the kernel "restarting" or "dead" (a kernel that crashed
      and was restarted empty holds none of the page's widgets);
    - a request to the server fails: every few seconds this file asks the server for itself (no-store), which
      fails once the dashboard has stopped, even while the WebSocket is still being retried.
  Then the page shows a banner in plain words and every control is disabled: nothing pretends to work.
  No inline script (the Content-Security-Policy allows script-src 'self' only) and no request beyond this server.
*/
(function () {
  "use strict";

  var MESSAGE = "This page has lost its connection to the workbook: changes are not being saved. " +
    "Start the dashboard again, then reload this page.";
  var CHECK_EVERY_MS = 2000;
  var FAILURES_BEFORE_BANNER = 2;
  var script = document.currentScript;
  var pingUrl = script ? script.src.split("?")[0] : null;
  var leaving = false;
  var lost = false;
  var failures = 0;
  var kernelSockets = 0;
  var openSockets = [];

  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });

  function disableControls(root) {
    var controls = root.querySelectorAll("input, button, select, textarea");
    for (var i = 0; i < controls.length; i++) {
      controls[i].disabled = true;
      controls[i].setAttribute("aria-disabled", "true");
    }
  }

  function showLost(reason) {
    if (lost || leaving) { return; }
    lost = true;
    var banner = document.createElement("div");
    banner.id = "cp-connection-lost";
    banner.className = "cp-connection-lost";
    banner.setAttribute("role", "alert");
    banner.setAttribute("data-reason", reason);
    banner.textContent = MESSAGE;
    banner.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;padding:14px 18px;" +
      "background:#b42318;color:#fff;font:600 16px/1.4 system-ui,sans-serif;text-align:center;" +
      "box-shadow:0 2px 8px rgba(0,0,0,.3)";
    document.body.appendChild(banner);
    var cells = document.getElementById("rendered_cells");
    var page = cells || document.body;
    disableControls(page);
    if (cells) {
      cells.setAttribute("inert", "");
      cells.setAttribute("aria-disabled", "true");
      cells.style.opacity = "0.55";
      // Widgets drawn later (a tab opened, a dropdown re-rendered) are disabled too.
      new MutationObserver(function () { disableControls(cells); }).observe(cells, { childList: true, subtree: true });
    }
    document.documentElement.setAttribute("data-cp-connection", "lost");
  }

  // --- the kernel's WebSocket ---------------------------------------------------------------------------
  var DEAD_KERNEL = /"execution_state"\s*:\s*"(restarting|dead|autorestarting)"/;
  var NativeWebSocket = window.WebSocket;
  if (NativeWebSocket) {
    var Watched = function (url, protocols) {
      var socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      if (String(url).indexOf("/api/kernels/") !== -1) {
        kernelSockets += 1;
        openSockets.push(socket);
        // A kernel that died (and was restarted empty by the server) says so in a status message while the
        // socket stays open: its widgets are gone, so the page no longer saves either.
        socket.addEventListener("message", function (event) {
          var text = event.data;
          if (typeof text !== "string") {
            try { text = new TextDecoder().decode(event.data); } catch (error) { return; }
          }
          if (DEAD_KERNEL.test(text)) { showLost("kernel restarted or died"); }
        });
        socket.addEventListener("close", function () {
          // A page being left closes its socket on purpose; a reconnect opens a new one within a moment;
          // anything else means the kernel is gone.
          setTimeout(function () {
            var stillOpen = openSockets.some(function (s) { return s.readyState === NativeWebSocket.OPEN; });
            if (!leaving && !stillOpen) { showLost("kernel connection closed"); }
          }, 1500);
        });
      }
      return socket;
    };
    Watched.prototype = NativeWebSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) { Watched[name] = NativeWebSocket[name]; });
    window.WebSocket = Watched;
  }

  // --- the server -----------------------------------------------------------------------------------------
  function check() {
    if (lost || leaving || !pingUrl || !window.fetch) { return; }
    window.fetch(pingUrl + "?alive=" + Date.now(), { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        failures = response.status >= 500 ? failures + 1 : 0;
        if (failures >= FAILURES_BEFORE_BANNER) { showLost("server answered " + response.status); }
      })
      .catch(function () {
        failures += 1;
        if (failures >= FAILURES_BEFORE_BANNER) { showLost("server unreachable"); }
      });
  }
  setInterval(check, CHECK_EVERY_MS);

  window.coderpathConnection = {
    isLost: function () { return lost; },
    kernelSockets: function () { return kernelSockets; },
  };
})();
