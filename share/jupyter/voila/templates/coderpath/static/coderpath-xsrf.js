/* coderpath: let Voilà's "page closed, stop its kernel" request pass the XSRF check.

   When a page closes, Voilà 0.5.13's widget manager posts to voila/api/shutdown/<kernel> with the _xsrf
   value it reads from document.cookie (voila-dashboards/voila#1458). Voilà's notebook pages never set that
   cookie, so the request was refused (403) and the kernel lived on until the idle cull. Any page rendered
   by the server's own templates sets it: the address the learner opens ("/") does, and a page opened
   directly fetches the folder page once here, which sets the cookie and changes nothing else. */
(function () {
  if (/(^|;\s*)_xsrf=/.test(document.cookie)) {
    return;
  }
  var base = document.body.getAttribute("data-base-url") || "/voila/";
  fetch(base + "tree", { credentials: "same-origin", cache: "no-store" }).catch(function () {});
})();
