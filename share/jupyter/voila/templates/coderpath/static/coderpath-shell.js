/* coderpath app shell: the loading message, showing the page, and small accessibility repairs.

   Replaces Voilà's inline helper functions (voila_setup_helper_functions): same names and behaviour,
   but the loading message stays in words ("Preparing your workbook…") with a bar for the cells done.
   Loaded with <script src>, so the Content-Security-Policy needs no 'unsafe-inline' for it. */
(function () {
  "use strict";

  window.voila_heartbeat = function () {};

  window.update_loading_text = function (cellIndex, cellCount, text) {
    var loading = document.getElementById("loading");
    if (loading && loading.style.display === "none") {
      loading.style.display = "";
    }
    var fill = document.getElementById("cp-loading-fill");
    if (fill && cellCount) {
      fill.style.width = Math.round((100 * cellIndex) / cellCount) + "%";
    }
    var el = document.getElementById("loading_text");
    if (el && text) {
      el.textContent = text;
    }
  };

  /* ipywidgets' toggle buttons show their state by colour only: say it with aria-pressed too. */
  function markToggles(root) {
    var buttons = root.querySelectorAll(".widget-toggle-button, .widget-toggle-buttons button");
    for (var i = 0; i < buttons.length; i++) {
      var pressed = buttons[i].classList.contains("mod-active") ? "true" : "false";
      if (buttons[i].getAttribute("aria-pressed") !== pressed) {
        buttons[i].setAttribute("aria-pressed", pressed);
      }
    }
  }

  /* A table that scrolls sideways on a phone must be reachable by keyboard to scroll it. */
  function markScrollers(root) {
    var boxes = root.querySelectorAll(".cp-scroll, .widget-html-content");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (box.classList.contains("cp-scroll") || scrolls) {
        if (!box.hasAttribute("tabindex") && scrolls) {
          box.setAttribute("tabindex", "0");
          if (!box.hasAttribute("role")) {
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", "Scrolls sideways");
          }
        }
      }
    }
  }

  /* Enter in a text field submits its form: a field marked by the library (a "cp-submit-on-enter"
     class on the field's widget) clicks the primary button of its panel. */
  function onKeydown(event) {
    if (event.key !== "Enter" || event.isComposing) {
      return;
    }
    var field = event.target;
    if (!field || field.tagName !== "INPUT") {
      return;
    }
    var host = field.closest(".cp-submit-on-enter");
    if (!host) {
      return;
    }
    var panel = host.closest(".cp-form") || host.parentElement;
    var button = panel && panel.querySelector("button.mod-primary:not([disabled])");
    if (button) {
      /* let the field's own change event reach the kernel before the click */
      field.dispatchEvent(new Event("change", { bubbles: true }));
      window.setTimeout(function () { button.click(); }, 0);
    }
  }

  function repair(root) {
    markToggles(root);
    markScrollers(root);
  }

  var observer = new MutationObserver(function () {
    repair(document);
  });

  window.display_cells = function () {
    if (!window.themeLoaded) {
      window.cellLoaded = true;
      return;
    }
    var loading = document.getElementById("loading");
    if (loading) {
      loading.parentNode.removeChild(loading);
    }
    var nav = document.getElementById("cp-nav");
    var slot = document.getElementById("cp-nav-slot");
    if (nav && slot) {
      slot.parentNode.replaceChild(nav, slot);
    }
    var cells = document.getElementById("rendered_cells");
    if (cells) {
      cells.style.display = "";
      repair(cells);
      observer.observe(cells, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
    }
  };

  document.addEventListener("keydown", onKeydown, true);
  window.voila_process = window.update_loading_text;
  window.voila_finish = window.display_cells;
})();
