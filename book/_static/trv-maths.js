/*
 * Display equations wider than the text column: shrink them to fit when a modest reduction
 * suffices (down to 75% of the text size), otherwise leave them to scroll sideways in their own
 * box (trv.css). Runs once MathJax has typeset the page, again on resize and before printing.
 */
(function () {
  "use strict";

  const SMALLEST = 0.75;

  function fitEquations() {
    for (const eq of document.querySelectorAll('mjx-container[display="true"]')) {
      eq.style.fontSize = "";
      const room = eq.clientWidth;
      const need = eq.scrollWidth;
      if (room > 0 && need > room + 1) {
        const scale = (room - 2) / need;
        if (scale >= SMALLEST) eq.style.fontSize = (100 * scale).toFixed(1) + "%";
      }
    }
  }

  window.trvFitEquations = fitEquations;

  function whenTypeset() {
    const startup = window.MathJax && window.MathJax.startup;
    if (startup && startup.promise) {
      startup.promise.then(fitEquations);
    } else {
      setTimeout(whenTypeset, 200);
    }
  }

  window.addEventListener("load", whenTypeset);
  window.addEventListener("resize", fitEquations);
  window.addEventListener("beforeprint", fitEquations);
})();
