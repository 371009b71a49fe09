// Marty console chart helper, shared by every view (and by panels added through ConsolePanels):
// time series, stacked bars and exemplar dots drawn with uPlot (served from the jar as /uplot.js),
// heatmaps on a canvas and sparklines / graphs as SVG. Labels are set as text, never as markup.
//
//   MartyCharts.timeSeries(div, { title: 'Rate /s', t: [epochSeconds...],
//     series: [{ label: 'rate', values: [...] }], dots: [{ t, value, href, title }] });
//   MartyCharts.bars(div, { t, stepSeconds, stacks: [{ label, values, color }], onBarClick: (from, to) => {} });
//   MartyCharts.heatmap(div, { t, bounds, rows });     div.appendChild(MartyCharts.sparkline(values));
//
// Every chart container gets data-points = number of plotted (non-null) values, so tests and
// panels can tell an empty chart from a drawn one.
'use strict';

const MartyCharts = (() => {
  const COLORS = ['#4aa3ff', '#ffb347', '#e5484d', '#4cd07d', '#b48cff', '#3dd6d0', '#f778ba', '#c9d1d9'];
  const AXIS = { stroke: '#8a96a3', grid: { stroke: '#26303b', width: 1 }, ticks: { stroke: '#26303b', width: 1 } };
  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function count(arrays) {
    let n = 0;
    for (const a of arrays) for (const v of a) if (v !== null && v !== undefined && !Number.isNaN(v)) n++;
    return n;
  }

  function frame(container, title, points, emptyText) {
    container.classList.add('chart');
    container.dataset.points = String(points);
    let head = container.querySelector(':scope > .chart-title');
    if (!head) {
      head = document.createElement('div');
      head.className = 'chart-title';
      container.appendChild(head);
    }
    head.textContent = title || '';
    let empty = container.querySelector(':scope > .chart-empty');
    if (!points) {
      if (!empty) {
        empty = document.createElement('div');
        empty.className = 'chart-empty muted';
        container.appendChild(empty);
      }
      empty.textContent = emptyText || 'no data in this range yet';
    } else if (empty) {
      empty.remove();
    }
  }

  function width(container) { return Math.max(200, container.clientWidth || 600); }

  // Merges exemplar dots into the x axis so uPlot can scale and draw them with the lines.
  function align(t, series, dots) {
    if (!dots || !dots.length) return { x: t, ys: series.map(s => s.values), dotY: null };
    const xs = Array.from(new Set(t.concat(dots.map(d => d.t)))).sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const ys = series.map(s => {
      const out = new Array(xs.length).fill(null);
      t.forEach((x, i) => { out[at.get(x)] = s.values[i]; });
      return out;
    });
    const dotY = new Array(xs.length).fill(null);
    for (const d of dots) dotY[at.get(d.t)] = d.value;
    return { x: xs, ys, dotY };
  }

  function placeDots(u, dots, layer) {
    layer.replaceChildren();
    for (const d of dots) {
      const x = u.valToPos(d.t, 'x');
      const y = u.valToPos(d.value, 'y');
      if (!(x >= 0 && y >= 0 && x <= u.over.clientWidth && y <= u.over.clientHeight)) continue;
      const a = document.createElement('a');
      a.className = 'exemplar-dot';
      a.href = d.href;
      a.title = d.title || '';
      a.style.left = (x - 5) + 'px';
      a.style.top = (y - 5) + 'px';
      layer.appendChild(a);
    }
  }

  /** Lines over time; opts: title, t (epoch s), series [{label, values, color}], dots, height, fmt. */
  function timeSeries(container, opts) {
    const series = opts.series || [];
    const points = count(series.map(s => s.values)) + (opts.dots ? opts.dots.length : 0);
    frame(container, opts.title, points, opts.emptyText);
    if (container._chart) { container._chart.destroy(); container._chart = null; }
    if (!points) return null;
    const { x, ys, dotY } = align(opts.t, series, opts.dots);
    const fmt = opts.fmt || (v => v == null ? '–' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)));
    const useries = [{}].concat(series.map((s, i) => ({
      label: s.label, stroke: s.color || COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
      value: (u, v) => fmt(v), points: { show: false },
    })));
    const data = [x].concat(ys);
    if (dotY) {
      useries.push({ label: 'exemplars', stroke: '#ffffff', fill: '#ffffff', paths: () => null,
        points: { show: true, size: 7, stroke: '#ffffff', fill: '#f778ba' }, value: (u, v) => fmt(v) });
      data.push(dotY);
    }
    const layer = document.createElement('div');
    layer.className = 'dot-layer';
    const u = new uPlot({
      width: width(container), height: opts.height || 180,
      series: useries,
      axes: [Object.assign({}, AXIS), Object.assign({ values: (u, vals) => vals.map(fmt), size: 60 }, AXIS)],
      scales: { x: { time: true }, y: { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      legend: { show: opts.legend !== false },
      hooks: opts.dots ? { draw: [uu => placeDots(uu, opts.dots, layer)] } : {},
    }, data, container);
    if (opts.dots) { u.over.appendChild(layer); placeDots(u, opts.dots, layer); }
    container._chart = u;
    return u;
  }

  /** Stacked bars per time step; a click on a bar calls onBarClick(fromEpochS, toEpochS). */
  function bars(container, opts) {
    const stacks = opts.stacks || [];
    const points = count(stacks.map(s => s.values.map(v => v || null)));
    frame(container, opts.title, points, opts.emptyText);
    if (container._chart) { container._chart.destroy(); container._chart = null; }
    if (!points) return null;
    // uPlot draws series in order: draw cumulative sums from the top one down so each shows its share
    const cum = [];
    let run = new Array(opts.t.length).fill(0);
    for (const s of stacks) {
      run = run.map((v, i) => v + (s.values[i] || 0));
      cum.push(run.slice());
    }
    const useries = [{}];
    const data = [opts.t];
    for (let i = stacks.length - 1; i >= 0; i--) {
      const c = stacks[i].color || COLORS[i % COLORS.length];
      useries.push({ label: stacks[i].label, stroke: c, fill: c, width: 0,
        paths: uPlot.paths.bars({ size: [0.9, 40] }), points: { show: false },
        value: (u, v, si, di) => di == null ? '–' : String(stacks[i].values[di] || 0) });
      data.push(cum[i].map(v => v || null));
    }
    const u = new uPlot({
      width: width(container), height: opts.height || 120,
      series: useries,
      axes: [Object.assign({}, AXIS), Object.assign({ size: 50 }, AXIS)],
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      cursor: { points: { show: false } },
    }, data, container);
    if (opts.onBarClick) {
      u.over.classList.add('clickable');
      u.over.addEventListener('click', () => {
        const i = u.cursor.idx;
        if (i == null) return;
        opts.onBarClick(opts.t[i], opts.t[i] + (opts.stepSeconds || 10));
      });
    }
    container._chart = u;
    return u;
  }

  /** Bucket counts over time on a canvas: one column per time step, one row per bucket. */
  function heatmap(container, opts) {
    const rows = opts.rows || [];
    let max = 0;
    let points = 0;
    for (const r of rows) for (const c of r) { max = Math.max(max, c); if (c > 0) points++; }
    frame(container, opts.title, points, opts.emptyText);
    container.querySelectorAll(':scope > canvas, :scope > .heat-axis').forEach(n => n.remove());
    if (!points) return;
    const buckets = opts.bounds.length + 1;
    const w = width(container);
    const h = opts.height || 160;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.className = 'heatmap';
    const g = canvas.getContext('2d');
    const cw = w / rows.length;
    const ch = h / buckets;
    rows.forEach((r, x) => r.forEach((c, b) => {
      if (!c) return;
      const a = 0.15 + 0.85 * Math.log1p(c) / Math.log1p(max);
      g.fillStyle = 'rgba(255,179,71,' + a.toFixed(3) + ')';
      g.fillRect(x * cw, h - (b + 1) * ch, Math.ceil(cw), Math.ceil(ch));
    }));
    container.appendChild(canvas);
    const axis = document.createElement('div');
    axis.className = 'heat-axis muted';
    axis.textContent = 'buckets ≤ ' + opts.bounds.slice(0, 1).join('') + ' (bottom) … > ' +
      opts.bounds.slice(-1).join('') + ' (top)' + (opts.unit ? ' ' + opts.unit : '') +
      ' · ' + new Date(opts.t[0] * 1000).toLocaleTimeString([], { hour12: false }) + ' – ' +
      new Date(opts.t[opts.t.length - 1] * 1000).toLocaleTimeString([], { hour12: false });
    container.appendChild(axis);
  }

  /** A small SVG polyline of values (e.g. calls per 30 s), for table cells. */
  function sparkline(values, opts) {
    const o = opts || {};
    const w = o.width || 90;
    const h = o.height || 18;
    const s = svg('svg', { width: w, height: h, class: 'sparkline', viewBox: '0 0 ' + w + ' ' + h });
    const vals = (values || []).map(v => v || 0);
    const max = Math.max(1, ...vals);
    const step = vals.length > 1 ? w / (vals.length - 1) : w;
    const pts = vals.map((v, i) => (i * step).toFixed(1) + ',' + (h - 1 - (v / max) * (h - 2)).toFixed(1));
    s.appendChild(svg('polyline', { points: pts.join(' '), fill: 'none', stroke: o.color || COLORS[0], 'stroke-width': 1.2 }));
    s.dataset.points = String(vals.filter(v => v > 0).length);
    return s;
  }

  return { timeSeries, bars, heatmap, sparkline, svg, COLORS };
})();
window.MartyCharts = MartyCharts;
