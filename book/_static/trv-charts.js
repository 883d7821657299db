/*
 * Draws every chart on the page with the Vega bundle the site serves itself (no CDN),
 * and redraws it in the matching palette when the reader switches light/dark mode.
 * Each chart is a <div class="trv-chart"> followed by a JSON <script class="trv-chart-spec">.
 */
(function () {
  "use strict";

  const DARK = {
    text: "#d5dbe1",
    grid: "#4a5159",
    domain: "#8a939c",
    // The light theme's Okabe-Ito hues, lightened for contrast on a dark page.
    category: ["#56B4E9", "#F28B4B", "#3CC9A0", "#F5C04A", "#E3A3C8", "#A9DBF7", "#F0E442"],
  };

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function darkConfig(config) {
    const out = Object.assign({}, config);
    const textual = { labelColor: DARK.text, titleColor: DARK.text };
    out.axis = Object.assign({}, config.axis, textual, {
      gridColor: DARK.grid, domainColor: DARK.domain, tickColor: DARK.domain,
    });
    out.legend = Object.assign({}, config.legend, textual);
    out.header = Object.assign({}, config.header, textual);
    out.title = Object.assign({}, config.title, { color: DARK.text, subtitleColor: DARK.text });
    out.text = Object.assign({}, config.text, { color: DARK.text });
    out.range = Object.assign({}, config.range, { category: DARK.category });
    out.rule = Object.assign({ color: DARK.text }, config.rule);
    return out;
  }

  function boundParams(spec) {
    return (spec.params || []).filter((p) => p.bind && !p.select).map((p) => p.name);
  }

  async function draw(target) {
    const spec = JSON.parse(JSON.stringify(target.trvSpec));
    if (isDark()) spec.config = darkConfig(spec.config || {});
    const previous = target.trvView;
    const kept = {};
    if (previous) {
      for (const name of boundParams(spec)) kept[name] = previous.signal(name);
      previous.finalize();
      target.replaceChildren();
    }
    const result = await window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
    });
    target.trvView = result.view;
    if (previous) {
      for (const [name, value] of Object.entries(kept)) result.view.signal(name, value);
      await result.view.runAsync();
    }
    target.dataset.drawn = "true";
  }

  function drawAll() {
    const scripts = document.querySelectorAll("script.trv-chart-spec");
    for (const script of scripts) {
      const target = document.getElementById(script.dataset.target);
      if (!target) continue;
      target.trvSpec = JSON.parse(script.textContent);
      draw(target).catch((err) => console.error("chart " + target.id + " failed:", err));
    }
    new MutationObserver(() => {
      for (const script of scripts) {
        const target = document.getElementById(script.dataset.target);
        if (target && target.trvSpec) draw(target).catch((err) => console.error(err));
      }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
