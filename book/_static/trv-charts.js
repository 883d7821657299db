/*
 * Draws every chart on the page with the Vega bundle the site serves itself (no CDN),
 * and redraws it in the matching palette when the reader switches light/dark mode.
 * Each chart is a <div class="trv-chart"> followed by a JSON <script class="trv-chart-spec">.
 * The chart menu's "Save as SVG/PNG" always gives the light figure on white (PNG at twice the
 * screen size), named after the chart's figure, with the sliders where the reader left them.
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

  function figureName(target) {
    const figure = target.closest("figure[id]");
    return figure ? figure.id : target.id;
  }

  function fixedWidth(node, width) {
    if (Array.isArray(node)) {
      node.forEach((n) => fixedWidth(n, width));
    } else if (node && typeof node === "object") {
      if (node.width === "container") node.width = width;
      for (const [key, value] of Object.entries(node)) {
        if (key !== "datasets" && key !== "data") fixedWidth(value, width);
      }
    }
  }

  // The figure as exported: light palette, white background, the page's current width and
  // the current values of the chart's controls.
  async function exportImage(target, type) {
    const spec = JSON.parse(JSON.stringify(target.trvSpec));
    spec.config = Object.assign({}, spec.config, { background: "white" });
    const view = target.trvView;
    fixedWidth(spec, Math.max(320, Math.round(view ? view.width() : 560)));
    const holder = document.createElement("div");
    const result = await window.vegaEmbed(holder, spec, { renderer: "none", actions: false });
    if (view) {
      for (const name of boundParams(spec)) result.view.signal(name, view.signal(name));
      await result.view.runAsync();
    }
    const url = await result.view.toImageURL(type, type === "png" ? 2 : 1);
    result.finalize();
    return url;
  }

  // Replace vega-embed's export (which copies the page's theme) with exportImage; its own
  // handler on each link is never reached because this one stops the event on the way down.
  function lightExport(target) {
    const menu = target.querySelector(".vega-actions");
    if (!menu) return;
    menu.addEventListener("mousedown", (event) => {
      const link = event.target.closest("a[download]");
      if (!link) return;
      const type = link.download.endsWith(".png") ? "png" : "svg";
      event.stopPropagation();
      link.dataset.exporting = "true";
      exportImage(target, type).then((url) => {
        link.href = url;
        link.download = figureName(target) + "." + type;
        link.dataset.exporting = "done";
      }).catch((err) => console.error("export of " + target.id + " failed:", err));
    }, true);
  }

  window.trvExportImage = exportImage;

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
      downloadFileName: figureName(target),
    });
    target.trvView = result.view;
    lightExport(target);
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
