/*
 * Loads MathJax (served with the site) once the page's charts are drawn, or at once on a
 * page without charts, so the formulas never hold up the text or the charts on a slow line.
 * Display equations wider than the text column: shrink them to fit when a modest reduction
 * suffices (down to 75% of the text size), otherwise leave them to scroll sideways in their own
 * box (trv.css). Runs once MathJax has typeset the page, again on resize and before printing.
 */
(function () {
  "use strict";

  const SMALLEST = 0.75;
  const MATHJAX = new URL("mathjax/tex-chtml.js", document.currentScript.src).href;

  function loadMathJax() {
    if (document.querySelector('script[src="' + MATHJAX + '"]')) return;
    const script = document.createElement("script");
    script.src = MATHJAX;
    script.async = true;
    script.onerror = () => console.error("MathJax " + MATHJAX + " did not load");
    document.head.append(script);
  }

  function whenChartsDrawn() {
    const charts = document.querySelector("script.trv-chart-spec");
    if (!charts || document.documentElement.dataset.trvCharts === "drawn") {
      loadMathJax();
    } else {
      document.addEventListener("trv:charts-drawn", loadMathJax, { once: true });
    }
  }

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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenChartsDrawn);
  } else {
    whenChartsDrawn();
  }
  window.addEventListener("load", whenTypeset);
  window.addEventListener("resize", fitEquations);
  window.addEventListener("beforeprint", fitEquations);
})();
