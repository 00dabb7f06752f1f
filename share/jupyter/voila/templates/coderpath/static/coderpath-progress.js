/* coderpath: one call per cell while Voilà runs the page (replaces Voilà's inline voila_process()).
   The cell's number and the page's cell count come from this script tag's data attributes. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (me && window.voila_process) {
    window.voila_process(Number(me.dataset.cell), Number(me.dataset.cells));
  }
})();
