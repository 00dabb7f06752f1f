/* coderpath: every cell has run; show the page (replaces Voilà's inline window.voila_finish()). */
if (window.voila_finish) {
  window.voila_finish();
}
