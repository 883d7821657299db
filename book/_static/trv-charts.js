/*
 * Draws every chart on the page with the Vega bundle the site serves itself (no CDN),
 * and redraws it in the matching palette when the reader switches light/dark mode.
 * Each chart is a <div class="trv-chart"> followed by a JSON <script class="trv-chart-spec">
 * holding {"spec": ..., "columns": {dataset: {field: [values]}}}: the chart's data travel as
 * columns and are turned back into rows here.
 * This script is deferred; the Vega bundle (about 900 KB) is fetched by a small inline script
 * in the page once the text has painted (window.trvBundle), or here if that did not run.
 * Classic <script>s only, so all of it works from file:// too.
 * Under each chart, "Chart data as a table" opens the numbers behind it as a table.
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
  // The light palette (treasury_rv.charts.PALETTE, and its darker text variants): a chart that
  // names one of these colours itself gets the matching dark-mode hue.
  const LIGHT = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442"];
  const LIGHT_TEXT = ["#0072B2", "#BE5400", "#008460", "#9C6C00", "#BB4D8A", "#177AB2", "#80770A"];
  const TO_DARK = new Map();
  LIGHT.forEach((c, i) => TO_DARK.set(c.toLowerCase(), DARK.category[i]));
  LIGHT_TEXT.forEach((c, i) => TO_DARK.set(c.toLowerCase(), DARK.category[i]));
  const BUNDLE = new URL("vega/vega-bundle.js", document.currentScript.src).href;

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

  // Every colour the chart names itself (outside its data), swapped for its dark-mode hue.
  function darkColours(node) {
    if (Array.isArray(node)) return node.map(darkColours);
    if (typeof node === "string") return TO_DARK.get(node.toLowerCase()) || node;
    if (!node || typeof node !== "object") return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === "datasets" || key === "data" ? value : darkColours(value);
    }
    return out;
  }

  function rows(columns) {
    const fields = Object.keys(columns);
    const n = fields.length ? columns[fields[0]].length : 0;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const row = {};
      for (const f of fields) row[f] = columns[f][i];
      out[i] = row;
    }
    return out;
  }

  function readSpec(script) {
    const payload = JSON.parse(script.textContent);
    const spec = payload.spec;
    const columns = payload.columns || {};
    if (Object.keys(columns).length) {
      spec.datasets = {};
      for (const [name, cols] of Object.entries(columns)) spec.datasets[name] = rows(cols);
    }
    return spec;
  }

  // The chart's numbers as a table, made when the reader first opens it.
  function dataTable(target) {
    const details = document.createElement("details");
    details.className = "trv-chart-data";
    const summary = document.createElement("summary");
    summary.textContent = "Chart data as a table";
    details.append(summary);
    details.addEventListener("toggle", () => {
      if (!details.open || details.dataset.built) return;
      details.dataset.built = "true";
      for (const [name, data] of Object.entries(target.trvSpec.datasets || {})) {
        if (!data.length) continue;
        const fields = Object.keys(data[0]);
        const box = document.createElement("div");
        box.className = "trv-chart-table";
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Data of " + (target.getAttribute("aria-label") || name));
        const table = document.createElement("table");
        const head = table.createTHead().insertRow();
        for (const f of fields) {
          const th = document.createElement("th");
          th.scope = "col";
          th.textContent = f;
          head.append(th);
        }
        const body = table.createTBody();
        for (const row of data) {
          const tr = body.insertRow();
          for (const f of fields) {
            const v = row[f];
            tr.insertCell().textContent = v === null || v === undefined ? "" : String(v);
          }
        }
        box.append(table);
        details.append(box);
      }
    });
    return details;
  }

  // vega-embed's "..." menu: a name for its <summary>, which shows only an icon.
  function nameMenu(target) {
    const summary = target.querySelector(".vega-actions-wrapper > summary, details > summary");
    if (summary && !summary.hasAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Chart menu: save as SVG or PNG");
      summary.title = "Save as SVG or PNG";
    }
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
    let spec = JSON.parse(JSON.stringify(target.trvSpec));
    if (isDark()) {
      spec = darkColours(spec);
      spec.config = darkConfig(spec.config || {});
    }
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
    nameMenu(target);
    if (previous) {
      for (const [name, value] of Object.entries(kept)) result.view.signal(name, value);
      await result.view.runAsync();
    }
    target.dataset.drawn = "true";
  }

  function drawAll() {
    const scripts = document.querySelectorAll("script.trv-chart-spec");
    const drawn = [];
    for (const script of scripts) {
      const target = document.getElementById(script.dataset.target);
      if (!target) continue;
      target.trvSpec = readSpec(script);
      if (!target.nextElementSibling || !target.nextElementSibling.matches(".trv-chart-data")) {
        target.after(dataTable(target));
      }
      drawn.push(draw(target).catch((err) => console.error("chart " + target.id + " failed:", err)));
    }
    Promise.all(drawn).then(() => {
      document.documentElement.dataset.trvCharts = "drawn";
      document.dispatchEvent(new Event("trv:charts-drawn"));
    });
    new MutationObserver(() => {
      for (const script of scripts) {
        const target = document.getElementById(script.dataset.target);
        if (target && target.trvSpec) draw(target).catch((err) => console.error(err));
      }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  // The page's inline loader has usually started the bundle already (after the first paint).
  function loadBundle() {
    const bundle = window.trvBundle || new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = BUNDLE;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    bundle.then(drawAll, () => console.error("the chart library " + BUNDLE + " did not load"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", loadBundle);
  } else {
    loadBundle();
  }
})();
