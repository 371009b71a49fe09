// Marty console UI. Plain DOM, no build step. Every value from the API is put into the page with
// textContent / createTextNode (never innerHTML), so attacker-controlled log messages and span
// names render as text; the server's Content-Security-Policy forbids inline script as a backstop.
'use strict';

const main = document.getElementById('main');
let refreshTimer = null;
let tailTimer = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'onclick' || k === 'onsubmit' || k === 'onchange') e[k] = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function link(text, href, cls) { return el('a', { href, class: cls }, text); }
function q(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}
async function api(path, params) {
  const r = await fetch('/api/' + path + q(params || {}), { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error((await r.text()).trim() || ('HTTP ' + r.status));
  return r.json();
}
function ms(nanos) {
  const m = nanos / 1e6;
  return m >= 1000 ? (m / 1000).toFixed(2) + ' s' : m >= 10 ? m.toFixed(0) + ' ms' : m.toFixed(2) + ' ms';
}
function time(nanos) {
  const d = new Date(nanos / 1e6);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}
function pct(x) { return (x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1) + '%'; }
function short(id) { return id ? id.substring(0, 8) : ''; }
function traceHref(id, spanId) { return '#/trace/' + encodeURIComponent(id) + (spanId ? q({ span: spanId }) : ''); }
function corrHref(id) { return '#/correlation/' + encodeURIComponent(id); }
function svc(name) { return el('span', { class: 'svc-tag' }, name); }
function error(e) { return el('div', { class: 'notice err' }, 'Error: ' + e.message); }

function render(...nodes) {
  main.replaceChildren(...nodes);
}

// ---- routing ----
function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const [path, query] = h.split('?');
  const parts = path.split('/').map(decodeURIComponent);
  return { view: parts[0] || 'services', arg: parts[1] || '', params: new URLSearchParams(query || '') };
}

async function route() {
  clearInterval(refreshTimer);
  clearInterval(tailTimer);
  const { view, arg, params } = parseHash();
  const navView = { trace: 'traces', service: 'services', metric: 'metrics' }[view] || view;
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.dataset.view === navView));
  const views = { services, service, map, traces, trace, logs, correlation, metrics, metric, business, slos, alerts };
  const fn = views[view] || services;
  try {
    await fn(arg, params);
  } catch (e) {
    render(error(e));
  }
}
window.addEventListener('hashchange', route);

// ---- services ----
const WINDOWS = [['900', 'last 15 min'], ['3600', 'last 1 h']];
function windowPicker(params, base) {
  const sel = el('select', { id: 'window' }, WINDOWS.map(w => el('option', { value: w[0] }, w[1])));
  sel.value = params.get('window') || '900';
  sel.onchange = () => {
    const p = Object.fromEntries(params);
    p.window = sel.value;
    location.hash = base + q(p);
  };
  return el('label', { class: 'muted' }, 'Charts over ', sel);
}
function sumSpark(routes) {
  const out = [];
  for (const r of routes) r.spark.forEach((v, i) => { out[i] = (out[i] || 0) + v; });
  return out;
}
function serviceHref(name, params) { return '#/service/' + encodeURIComponent(name) + q(params || {}); }

async function services() {
  const load = async () => {
    const data = await api('services', { window: 300 });
    const rows = [];
    for (const s of data.services) {
      rows.push(el('tr', { class: 'svc-row' },
        el('td', {}, el('b', {}, link(s.service, serviceHref(s.service), 'service-link'))),
        el('td', {}, ''),
        el('td', {}, MartyCharts.sparkline(sumSpark(s.routes))),
        el('td', { class: 'num' }, s.requests),
        el('td', { class: 'num' }, s.ratePerSecond.toFixed(2)),
        el('td', { class: 'num' + (s.errorRatio > 0.01 ? ' err' : '') }, pct(s.errorRatio)),
        el('td', {}, ''), el('td', {}, ''), el('td', {}, ''),
        el('td', {}, link('traces', '#/traces' + q({ service: s.service })), ' · ',
          link('logs (' + s.logs + ')', '#/logs' + q({ service: s.service })))));
      for (const r of s.routes) {
        rows.push(el('tr', {},
          el('td', {}, ''),
          el('td', { class: 'mono' }, link(r.route, serviceHref(s.service, { route: r.route }))),
          el('td', {}, MartyCharts.sparkline(r.spark)),
          el('td', { class: 'num' }, r.requests),
          el('td', { class: 'num' }, r.ratePerSecond.toFixed(2)),
          el('td', { class: 'num' + (r.errorRatio > 0.01 ? ' err' : '') }, pct(r.errorRatio)),
          el('td', { class: 'num' }, r.p50Millis.toFixed(1)),
          el('td', { class: 'num' }, r.p95Millis.toFixed(1)),
          el('td', { class: 'num' }, r.p99Millis.toFixed(1)),
          el('td', {}, r.errors > 0 ? link('errors', '#/traces' + q({ service: s.service, status: 'error' })) : '')));
      }
    }
    render(
      el('h2', {}, 'Services — RED over the last 5 minutes (from server spans); trend: requests per 30 s over 15 min'),
      rows.length ? el('table', { id: 'services' },
        el('thead', {}, el('tr', {}, ['Service', 'Route', 'Trend', 'Requests', 'Rate /s', 'Errors', 'p50 ms', 'p95 ms', 'p99 ms', '']
          .map((h, i) => el('th', { class: i >= 3 && i <= 8 ? 'num' : '' }, h)))),
        el('tbody', {}, rows))
        : el('div', { class: 'notice' }, 'No telemetry yet. Point an OTLP exporter at this console: ',
          el('span', { class: 'mono' }, 'OTEL_EXPORTER_OTLP_ENDPOINT=' + location.origin)));
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 3000);
}

// ---- one service: charts over time ----
async function service(name, params) {
  const route = params.get('route') || '';
  const window = params.get('window') || '900';
  const routeSel = el('select', { id: 'route' });
  const rate = el('div', { id: 'chart-rate' });
  const errors = el('div', { id: 'chart-errors' });
  const latency = el('div', { id: 'chart-latency' });
  render(el('h2', {}, 'Service ', svc(name)),
    el('div', { class: 'filters' }, el('label', { class: 'muted' }, 'Route ', routeSel), ' ', windowPicker(params, serviceHref(name)),
      ' ', link('traces', '#/traces' + q({ service: name })), ' · ', link('logs', '#/logs' + q({ service: name }))),
    el('div', { class: 'chart-grid' }, rate, errors, latency));
  routeSel.onchange = () => { location.hash = serviceHref(name, { route: routeSel.value, window }); };
  const load = async () => {
    const d = await api('charts/service', { service: name, route, window });
    if (routeSel.options.length !== d.routes.length + 1) {
      routeSel.replaceChildren(el('option', { value: '' }, 'all routes'), d.routes.map(r => el('option', { value: r }, r)));
      routeSel.value = route;
    }
    MartyCharts.timeSeries(rate, { title: 'Requests /s', t: d.t, series: [{ label: 'rate /s', values: d.rate }] });
    MartyCharts.timeSeries(errors, { title: 'Error rate', t: d.t, fmt: v => v == null ? '–' : pct(v),
      series: [{ label: 'errors', values: d.errorRatio, color: '#e5484d' }] });
    MartyCharts.timeSeries(latency, { title: 'Latency (ms)', t: d.t, series: [
      { label: 'p50', values: d.p50, color: '#4cd07d' }, { label: 'p95', values: d.p95, color: '#ffb347' },
      { label: 'p99', values: d.p99, color: '#e5484d' }] });
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 5000);
}

// ---- service map ----
// Columns by call depth (callers left of callees), nodes stacked in each column; edges are SVG
// links to the traces behind them.
function layout(nodes, edges) {
  const depth = new Map(nodes.map(n => [n.name, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const e of edges) {
      if (e.from === e.to) continue;
      const d = depth.get(e.from) + 1;
      if (d > depth.get(e.to) && d < nodes.length) { depth.set(e.to, d); changed = true; }
    }
    if (!changed) break;
  }
  const cols = [];
  for (const n of nodes) {
    const d = depth.get(n.name);
    (cols[d] = cols[d] || []).push(n);
  }
  const pos = new Map();
  const colW = 420;
  const rowH = 110;
  const rows = Math.max(1, ...cols.filter(Boolean).map(c => c.length));
  cols.forEach((c, ci) => (c || []).forEach((n, ri) => {
    pos.set(n.name, { x: 40 + ci * colW, y: 30 + (ri + (rows - c.length) / 2) * rowH });
  }));
  return { pos, width: 40 + Math.max(1, cols.length) * colW, height: 60 + rows * rowH };
}

async function map(_arg, params) {
  const window = params.get('window') || '900';
  const holder = el('div', { id: 'service-map', class: 'map' });
  render(el('h2', {}, 'Service map — calls between services, databases and brokers (client/server and producer/consumer spans)'),
    el('div', { class: 'filters' }, windowPicker(params, '#/map')), holder);
  const C = MartyCharts;
  const load = async () => {
    const d = await api('servicemap', { window });
    if (!d.nodes.length) {
      holder.replaceChildren(el('div', { class: 'notice' }, 'No spans yet.'));
      return;
    }
    const { pos, width, height } = layout(d.nodes, d.edges);
    const W = 170;
    const H = 44;
    const g = C.svg('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, class: 'map-svg' });
    const defs = C.svg('defs');
    const marker = C.svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto' });
    marker.appendChild(C.svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8a96a3' }));
    defs.appendChild(marker);
    g.appendChild(defs);
    for (const e of d.edges) {
      const a = pos.get(e.from);
      const b = pos.get(e.to);
      const x1 = a.x + W; const y1 = a.y + H / 2; const x2 = b.x; const y2 = b.y + H / 2;
      const path = e.from === e.to
        ? 'M' + (a.x + W / 2) + ',' + a.y + ' c 40,-50 80,-10 ' + (W / 2) + ',' + (H / 2)
        : 'M' + x1 + ',' + y1 + ' C' + (x1 + 60) + ',' + y1 + ' ' + (x2 - 60) + ',' + y2 + ' ' + x2 + ',' + y2;
      const link = C.svg('a', { href: '#/traces' + q({ edgeFrom: e.from, edgeTo: e.to }), class: 'edge',
        'data-from': e.from, 'data-to': e.to });
      const bad = e.errorRatio > 0.01;
      link.appendChild(C.svg('path', { d: path, class: 'edge-hit' }));
      link.appendChild(C.svg('path', { d: path, class: 'edge-line' + (bad ? ' bad' : ''), 'marker-end': 'url(#arrow)' }));
      const label = e.ratePerSecond.toFixed(2) + '/s · ' + pct(e.errorRatio) + ' err · p95 ' + e.p95Millis.toFixed(1) + ' ms';
      const lx = (x1 + x2) / 2;
      const ly = (y1 + y2) / 2 - 6;
      link.appendChild(C.svg('text', { x: lx, y: ly, class: 'edge-label' + (bad ? ' bad' : ''), 'text-anchor': 'middle' }, label));
      link.appendChild(C.svg('title', {}, e.from + ' → ' + e.to + ': ' + e.calls + ' calls; click for the traces'));
      g.appendChild(link);
    }
    for (const n of d.nodes) {
      const p = pos.get(n.name);
      const node = C.svg('g', { class: 'node node-' + n.kind, 'data-name': n.name, transform: 'translate(' + p.x + ',' + p.y + ')' });
      node.appendChild(n.kind === 'database'
        ? C.svg('rect', { width: W, height: H, rx: 16, ry: 16 })
        : C.svg('rect', { width: W, height: H, rx: n.kind === 'broker' ? 0 : 6 }));
      node.appendChild(C.svg('text', { x: W / 2, y: 19, 'text-anchor': 'middle', class: 'node-name' },
        n.name.length > 24 ? n.name.substring(0, 23) + '…' : n.name));
      node.appendChild(C.svg('text', { x: W / 2, y: 35, 'text-anchor': 'middle', class: 'node-kind' }, n.kind));
      if (n.kind === 'service') {
        const a = C.svg('a', { href: serviceHref(n.name) });
        a.appendChild(node);
        g.appendChild(a);
      } else {
        g.appendChild(node);
      }
    }
    holder.replaceChildren(g);
    holder.dataset.edges = String(d.edges.length);
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 5000);
}

// ---- traces ----
function filterForm(fields, params, onSubmit) {
  const inputs = {};
  const form = el('form', { class: 'filters' });
  for (const f of fields) {
    let input;
    if (f.options) {
      input = el('select', { name: f.name }, f.options.map(o => el('option', { value: o[0] }, o[1])));
    } else {
      input = el('input', { name: f.name, placeholder: f.placeholder || '', size: f.size || 16 });
    }
    input.value = params.get(f.name) || '';
    inputs[f.name] = input;
    form.appendChild(el('label', {}, f.label, input));
  }
  form.appendChild(el('button', { type: 'submit' }, 'Search'));
  form.onsubmit = ev => {
    ev.preventDefault();
    const values = {};
    for (const [k, i] of Object.entries(inputs)) values[k] = i.value.trim();
    onSubmit(values);
  };
  return form;
}

async function traces(_arg, params) {
  const form = filterForm([
    { name: 'service', label: 'Service' },
    { name: 'minDurationMs', label: 'Min duration (ms)', size: 8 },
    { name: 'status', label: 'Status', options: [['', 'any'], ['error', 'error'], ['ok', 'ok']] },
    { name: 'correlationId', label: 'Correlation id', size: 36 },
  ], params, v => { location.hash = '#/traces' + q(v); });
  const data = await api('traces', Object.fromEntries(params));
  const rows = data.traces.map(t => el('tr', { class: 'trace-row' },
    el('td', {}, time(t.startEpochNanos)),
    el('td', {}, link(t.rootName, traceHref(t.traceId), 'trace-link')),
    el('td', {}, t.services.map(svc)),
    el('td', { class: 'num' }, ms(t.durationNanos)),
    el('td', { class: 'num' }, t.spanCount),
    el('td', { class: t.errorCount ? 'err' : '' }, t.errorCount ? t.errorCount + ' error(s)' : 'ok'),
    el('td', { class: 'mono' }, t.correlationId ? link(t.correlationId, corrHref(t.correlationId), 'corr-link') : '')));
  const edge = params.get('edgeFrom')
    ? el('div', { class: 'card', id: 'edge-traces' }, 'Recent traces with a call ', svc(params.get('edgeFrom')), ' → ',
      svc(params.get('edgeTo') || ''), ' (from the service map)') : '';
  render(el('h2', {}, 'Traces'), form, edge,
    rows.length ? el('table', { id: 'traces' },
      el('thead', {}, el('tr', {}, ['Start', 'Root span', 'Services', 'Duration', 'Spans', 'Status', 'Correlation id'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows)) : el('div', { class: 'notice' }, 'No traces match.'));
}

// ---- trace waterfall ----
function spanDetails(s) {
  const rows = [['service', s.service], ['kind', s.kind], ['status', s.status + (s.statusMessage ? ': ' + s.statusMessage : '')],
    ['span id', s.spanId], ['parent', s.parentSpanId || '(root)']];
  for (const [k, v] of Object.entries(s.attributes)) rows.push([k, v]);
  for (const ev of s.events) rows.push(['event @' + time(ev.epochNanos), ev.name + ' ' + JSON.stringify(ev.attributes)]);
  return el('div', { class: 'details' }, el('table', {}, rows.map(([k, v]) =>
    el('tr', {}, el('td', { class: 'muted' }, k), el('td', { class: 'mono msg' }, v)))));
}

async function trace(traceId, params) {
  const data = await api('traces/' + encodeURIComponent(traceId));
  const logData = await api('logs', { traceId, limit: 500 });
  const spans = data.spans;
  const sum = data.summary;
  const t0 = sum.startEpochNanos;
  const total = Math.max(sum.durationNanos, 1);
  const children = new Map();
  const ids = new Set(spans.map(s => s.spanId));
  for (const s of spans) {
    const p = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : '';
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(s);
  }
  const logsBySpan = new Map();
  for (const l of logData.logs) {
    if (!logsBySpan.has(l.spanId)) logsBySpan.set(l.spanId, []);
    logsBySpan.get(l.spanId).push(l);
  }
  const rows = [];
  const selected = params.get('span');
  const walk = (parent, depth) => {
    for (const s of (children.get(parent) || [])) {
      const left = ((s.startEpochNanos - t0) / total) * 100;
      const width = Math.max((s.durationNanos / total) * 100, 0.3);
      const track = el('div', { class: 'wf-track' },
        el('div', { class: 'wf-bar' + (s.status === 'ERROR' ? ' error' : ''), style: null }));
      const bar = track.firstChild;
      bar.style.left = left + '%';
      bar.style.width = width + '%';
      for (const l of (logsBySpan.get(s.spanId) || [])) {
        const m = el('div', { class: 'wf-log', title: l.severity + ' ' + l.body });
        m.style.left = (((l.epochNanos - t0) / total) * 100) + '%';
        track.appendChild(m);
      }
      const name = el('div', { class: 'wf-name' }, svc(s.service), s.name);
      name.style.paddingLeft = (depth * 14) + 'px';
      const details = spanDetails(s);
      details.classList.toggle('hidden', selected !== s.spanId);
      const row = el('div', { class: 'wf-row', 'data-span-id': s.spanId }, name, track,
        el('div', { class: 'num' + (s.status === 'ERROR' ? ' err' : '') }, ms(s.durationNanos)));
      row.onclick = () => details.classList.toggle('hidden');
      rows.push(row, details);
      walk(s.spanId, depth + 1);
    }
  };
  walk('', 0);
  const logRows = logData.logs.slice().sort((a, b) => a.epochNanos - b.epochNanos).map(logRow);
  render(
    el('h2', {}, 'Trace ', el('span', { class: 'mono' }, traceId)),
    el('div', { class: 'card' },
      el('b', {}, sum.rootName), ' — ', ms(sum.durationNanos), ', ', sum.spanCount, ' spans, ',
      sum.services.map(svc), sum.errorCount ? el('span', { class: 'err' }, sum.errorCount + ' error(s) ') : '',
      sum.correlationId ? ['correlation ', link(sum.correlationId, corrHref(sum.correlationId), 'corr-link')] : '',
      ' · ', link('logs of this trace (' + logData.logs.length + ')', '#/logs' + q({ traceId }), 'trace-logs-link')),
    el('div', { id: 'waterfall' }, rows),
    el('h3', {}, 'Logs of this trace'),
    logRows.length ? logTable(logRows) : el('div', { class: 'muted' }, 'No logs carry this trace id.'));
}

// ---- logs ----
function logRow(l) {
  return el('tr', { class: 'log-row', 'data-seq': l.seq },
    el('td', { class: 'mono' }, time(l.epochNanos)),
    el('td', { class: 'lvl-' + l.severity }, l.severity),
    el('td', {}, svc(l.service)),
    el('td', { class: 'muted' }, l.category),
    el('td', { class: 'msg' }, l.body),
    el('td', { class: 'mono' }, l.traceId ? link(short(l.traceId), traceHref(l.traceId, l.spanId), 'trace-link') : ''),
    el('td', { class: 'mono' }, l.correlationId ? link(short(l.correlationId), corrHref(l.correlationId), 'corr-link') : ''));
}
function logTable(rows) {
  return el('table', { id: 'logs' },
    el('thead', {}, el('tr', {}, ['Time', 'Level', 'Service', 'Category', 'Message', 'Trace', 'Correlation'].map(h => el('th', {}, h)))),
    el('tbody', {}, rows));
}

async function logs(_arg, params) {
  const form = filterForm([
    { name: 'level', label: 'Min level', options: [['', 'any'], ['DEBUG', 'DEBUG'], ['INFO', 'INFO'], ['WARN', 'WARN'], ['ERROR', 'ERROR']] },
    { name: 'category', label: 'Category', size: 12 },
    { name: 'service', label: 'Service', size: 14 },
    { name: 'q', label: 'Text', size: 20 },
    { name: 'traceId', label: 'Trace id', size: 32 },
    { name: 'correlationId', label: 'Correlation id', size: 36 },
  ], params, v => { location.hash = '#/logs' + q(Object.assign(v, { tail: params.get('tail') })); });
  const query = Object.fromEntries(params);
  delete query.tail;
  const data = await api('logs', Object.assign({ limit: 300 }, query));
  const volumeQuery = Object.assign({}, query);
  delete volumeQuery.fromMs;
  delete volumeQuery.toMs;
  const volume = el('div', { id: 'chart-logs' });
  const LEVEL_COLORS = { TRACE: '#5c6670', DEBUG: '#8a96a3', INFO: '#4cd07d', WARN: '#ffb347', ERROR: '#e5484d', FATAL: '#b48cff' };
  const drawVolume = async () => {
    const v = await api('charts/logs', volumeQuery);
    MartyCharts.bars(volume, { title: 'Log volume by level (click a bar to show its ' + v.stepSeconds + ' s)',
      t: v.t, stepSeconds: v.stepSeconds,
      stacks: Object.entries(v.levels).map(([lv, values]) => ({ label: lv, values, color: LEVEL_COLORS[lv] })),
      onBarClick: (from, to) => {
        location.hash = '#/logs' + q(Object.assign({}, query, { fromMs: from * 1000, toMs: to * 1000, tail: params.get('tail') }));
      } });
  };
  const range = query.fromMs ? el('div', { class: 'card', id: 'log-range' }, 'Showing ',
    time(query.fromMs * 1e6), ' – ', time((query.toMs || Date.now()) * 1e6), ' · ',
    link('all times', '#/logs' + q(Object.assign({}, volumeQuery, { tail: params.get('tail') })))) : '';
  const tbody = el('tbody', {}, data.logs.map(logRow));
  const tail = el('input', { type: 'checkbox', id: 'tail' });
  tail.checked = params.get('tail') === '1';
  let last = data.lastSeq;
  const startTail = () => {
    clearInterval(tailTimer);
    if (!tail.checked) return;
    tailTimer = setInterval(async () => {
      try {
        const d = await api('logs', Object.assign({}, query, { after: last, limit: 500 }));
        last = d.lastSeq;
        for (const l of d.logs) tbody.insertBefore(logRow(l), tbody.firstChild);
        while (tbody.childNodes.length > 1000) tbody.removeChild(tbody.lastChild);
      } catch (e) { /* next poll retries */ }
    }, 1000);
  };
  tail.onchange = startTail;
  startTail();
  refreshTimer = setInterval(() => drawVolume().catch(() => {}), 5000);
  render(el('h2', {}, 'Logs'), form, volume, range,
    el('label', { class: 'muted' }, tail, ' live tail'),
    el('table', { id: 'logs' },
      el('thead', {}, el('tr', {}, ['Time', 'Level', 'Service', 'Category', 'Message', 'Trace', 'Correlation'].map(h => el('th', {}, h)))),
      tbody));
  await drawVolume();
}

// ---- correlation ----
async function correlation(id) {
  const form = filterForm([{ name: 'id', label: 'Correlation id', size: 40 }], new URLSearchParams({ id }),
    v => { location.hash = corrHref(v.id); });
  if (!id) {
    render(el('h2', {}, 'Correlation'), form,
      el('div', { class: 'notice' }, 'Enter a correlation id, or click one in the log or trace view.'));
    return;
  }
  const data = await api('correlations/' + encodeURIComponent(id));
  if (!data.items.length) {
    render(el('h2', {}, 'Correlation'), form, el('div', { class: 'notice' }, 'Nothing received for this correlation id.'));
    return;
  }
  const t0 = data.items[0].epochNanos;
  const items = data.items.map(it => {
    if (it.type === 'span') {
      const s = it.span;
      return el('div', { class: 'tl-item tl-span' },
        el('span', { class: 'mono muted' }, '+' + ms(it.epochNanos - t0)),
        el('span', {}, svc(s.service)),
        el('span', { class: s.status === 'ERROR' ? 'err' : 'muted' }, 'span'),
        el('span', {}, link(s.name, traceHref(s.traceId, s.spanId), 'trace-link'), ' ',
          el('span', { class: 'muted' }, s.kind.toLowerCase() + ', ' + ms(s.durationNanos))));
    }
    const l = it.log;
    return el('div', { class: 'tl-item tl-log' },
      el('span', { class: 'mono muted' }, '+' + ms(it.epochNanos - t0)),
      el('span', {}, svc(l.service)),
      el('span', { class: 'lvl-' + l.severity }, l.severity),
      el('span', { class: 'msg' }, l.body, ' ', l.traceId ? link('→ trace', traceHref(l.traceId, l.spanId), 'trace-link') : ''));
  });
  render(el('h2', {}, 'Correlation ', el('span', { class: 'mono' }, id)), form,
    el('div', { class: 'card' }, data.services.length + ' services ', data.services.map(svc), ' · ',
      data.spanCount + ' spans · ' + data.logCount + ' log lines · traces: ',
      data.traces.map(t => [link(short(t.traceId) + ' ' + t.rootName, traceHref(t.traceId), 'trace-link'), ' '])),
    el('div', { id: 'timeline' }, items),
    data.truncated ? el('div', { class: 'muted' }, 'Timeline truncated.') : '');
}

// ---- metrics ----
async function metrics(_arg, params) {
  const form = filterForm([{ name: 'name', label: 'Name contains' }, { name: 'service', label: 'Service' }], params,
    v => { location.hash = '#/metrics' + q(v); });
  const data = await api('metrics', Object.fromEntries(params));
  const rows = data.series.map(p => el('tr', { class: 'metric-row' },
    el('td', { class: 'mono' }, link(p.name, '#/metric' + q({ key: p.seriesKey }), 'metric-link')),
    el('td', {}, svc(p.service)),
    el('td', { class: 'mono muted' }, Object.entries(p.attributes).map(([k, v]) => k + '=' + v).join(' ')),
    el('td', {}, p.type),
    el('td', { class: 'num' }, p.type === 'histogram' || p.type === 'summary' || p.type === 'exponential_histogram'
      ? 'count ' + p.count + ', mean ' + p.value.toPrecision(4) : p.value.toPrecision(6)),
    el('td', {}, p.exemplars.filter(e => e.traceId).slice(0, 3).map(e =>
      [link(e.value.toPrecision(3) + ' → ' + short(e.traceId), traceHref(e.traceId, e.spanId), 'exemplar-link'), ' ']))));
  render(el('h2', {}, 'Metrics (latest point per series; click a name for its chart)'), form,
    rows.length ? el('table', { id: 'metrics' },
      el('thead', {}, el('tr', {}, ['Name', 'Service', 'Attributes', 'Type', 'Value', 'Exemplars'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows)) : el('div', { class: 'notice' }, 'No metrics received.'));
}

// ---- one metric series over time ----
async function metric(_arg, params) {
  const key = params.get('key') || '';
  const window = params.get('window') || '900';
  const main1 = el('div', { id: 'chart-metric' });
  const heat = el('div', { id: 'chart-heatmap' });
  const head = el('div', { class: 'card' });
  render(el('h2', {}, 'Metric'), head, el('div', { class: 'filters' }, windowPicker(params, '#/metric')), main1, heat);
  const load = async () => {
    const d = await api('charts/metric', { key, window });
    head.replaceChildren(el('b', { class: 'mono' }, d.name), ' ', svc(d.service), ' ', d.type, d.unit ? ' (' + d.unit + ')' : '', ' ',
      el('span', { class: 'mono muted' }, Object.entries(d.attributes).map(([k, v]) => k + '=' + v).join(' ')));
    const dots = d.exemplars.map(e => ({ t: e.t, value: e.value, href: traceHref(e.traceId, e.spanId),
      title: 'exemplar ' + e.value.toPrecision(3) + ' → trace ' + short(e.traceId) }));
    if (d.type === 'histogram') {
      MartyCharts.timeSeries(main1, { title: 'Percentiles per interval' + (d.unit ? ' (' + d.unit + ')' : '') + ' · dots: exemplars (click for the trace)',
        t: d.t, dots, series: [{ label: 'p50', values: d.p50, color: '#4cd07d' },
          { label: 'p95', values: d.p95, color: '#ffb347' }, { label: 'p99', values: d.p99, color: '#e5484d' }] });
      MartyCharts.heatmap(heat, { title: 'Bucket heatmap (observations per interval)', t: d.t, bounds: d.bounds, rows: d.buckets, unit: d.unit });
    } else if (d.type === 'sum') {
      // exemplars carry single measurements, not rates: they would sit on the wrong scale
      MartyCharts.timeSeries(main1, { title: 'Rate per second (counter)', t: d.t, series: [{ label: 'rate /s', values: d.rate }] });
    } else {
      MartyCharts.timeSeries(main1, { title: 'Value' + (d.unit ? ' (' + d.unit + ')' : ''), t: d.t, dots, series: [{ label: 'value', values: d.values || [] }] });
    }
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 5000);
}

// ---- SLOs ----
function human(seconds) {
  if (seconds < 120) return seconds + ' s';
  if (seconds < 7200) return Math.floor(seconds / 60) + ' min';
  return seconds < 172800 ? Math.floor(seconds / 3600) + ' h' : Math.floor(seconds / 86400) + ' d';
}
function coverageText(s) {
  if (s.observedSeconds < 0) return '';
  return human(s.observedSeconds) + ' of ' + human(s.windowSeconds) + ' observed';
}
function budgetCell(s) {
  if (!s.budgetKnown) {
    return el('span', { class: 'muted insufficient' }, 'insufficient data (', coverageText(s), ')');
  }
  const budget = Math.max(0, Math.min(1, s.errorBudgetRemaining));
  const gauge = el('div', { class: 'gauge' + (budget < 0.25 ? ' low' : '') }, el('div', {}));
  gauge.firstChild.style.width = (budget * 100) + '%';
  return [gauge, ' ', s.errorBudgetRemaining < -1 ? 'exhausted' : pct(s.errorBudgetRemaining)];
}
function burnCell(s) {
  return Object.entries(s.burnRates).map(([w, r]) => {
    const cov = s.burnWindowCoverage[w];
    const covered = cov === undefined || cov >= 1;
    return el('span', { class: 'burn' + (covered ? '' : ' muted') },
      w + ': ' + (covered ? r.toFixed(1) + '×' : 'insufficient data (' + Math.round(cov * 100) + '% covered)'));
  });
}

async function slos() {
  const holder = el('div', { id: 'slo-page' });
  render(el('h2', {}, 'SLOs'), holder);
  const charts = new Map();
  const load = async () => {
    const data = await api('slos');
    if (!data.enabled) {
      holder.replaceChildren(el('div', { class: 'notice', id: 'slo-disabled' },
        'SLO tracking is not enabled for this console. Start it with SLO definitions (marty demo does) to see error budgets and burn rates here.'));
      return;
    }
    const rows = data.slos.map(s => el('tr', { class: 'slo-row' },
      el('td', {}, s.name), el('td', {}, svc(s.service)),
      el('td', { class: 'num' }, pct(s.objective)),
      el('td', { class: 'num' }, s.sli < 0 ? '–' : pct(s.sli)),
      el('td', { class: 'coverage' }, coverageText(s)),
      el('td', {}, budgetCell(s)),
      el('td', { class: 'mono' }, burnCell(s)),
      el('td', { class: 'state-' + s.state }, s.state === 'INSUFFICIENT_DATA' ? 'insufficient data' : s.state,
        s.reason ? el('div', { class: 'muted reason' }, s.reason) : '')));
    const table = rows.length ? el('table', { id: 'slos' },
      el('thead', {}, el('tr', {}, ['SLO', 'Service', 'Objective', 'SLI', 'Window coverage', 'Error budget left', 'Burn rates', 'State'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows)) : el('div', { class: 'notice' }, 'No SLOs defined.');
    const grid = el('div', { class: 'chart-grid', id: 'slo-charts' });
    holder.replaceChildren(data.error ? error(new Error(data.error)) : '', table, grid);
    // lay every chart box out first, so each is drawn at its final width
    for (const s of data.slos) {
      const key = s.service + ' / ' + s.name;
      if (!charts.has(key)) charts.set(key, { burn: el('div', { class: 'slo-burn' }), budget: el('div', { class: 'slo-budget' }) });
      grid.append(charts.get(key).burn, charts.get(key).budget);
    }
    for (const s of data.slos) {
      const key = s.service + ' / ' + s.name;
      const h = (data.history || {})[key] || [];
      const t = h.map(p => p.t);
      const c = charts.get(key);
      const cov = coverageText(s);
      const windows = Object.keys(s.burnRates);
      MartyCharts.timeSeries(c.burn, { title: key + ' — burn rate per window' + (cov ? ' (' + cov + ')' : ''), t,
        fmt: v => v == null ? '–' : v.toFixed(1) + '×',
        series: windows.map(w => ({ label: w + (s.burnWindowCoverage[w] < 1 ? ' (' + Math.round(s.burnWindowCoverage[w] * 100) + '% covered)' : ''),
          values: h.map(p => p.burnRates[w] === undefined ? null : p.burnRates[w]) })) });
      MartyCharts.timeSeries(c.budget, {
        title: key + ' — error budget left' + (s.budgetKnown ? '' : ': insufficient data, ' + cov),
        t, fmt: v => v == null ? '–' : pct(v),
        emptyText: 'insufficient data: the budget is shown once the whole SLO window (' + human(s.windowSeconds) + ') is covered',
        series: [{ label: 'budget left', values: s.budgetKnown ? h.map(p => p.budget) : [], color: '#4cd07d' }] });
    }
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 5000);
}

// ---- alerts ----
// A timeline per service: one lane per alert, bars from first to last firing sample (open bars reach now),
// over the last 15, 30 or 60 minutes (the alert history holds one hour).
function alertTimeline(data) {
  const C = MartyCharts;
  const now = data.now;
  // the shortest of 15 / 30 / 60 minutes that shows every interval
  const earliest = Math.min(now, ...data.intervals.map(iv => iv.start));
  const span = [15, 30, 60].find(m => now - m * 60000 <= earliest) || 60;
  const from = now - span * 60000;
  const lanes = [];
  const byLane = new Map();
  for (const iv of data.intervals) {
    const lane = (iv.service || '(no service)') + ' · ' + iv.name;
    if (!byLane.has(lane)) { byLane.set(lane, []); lanes.push(lane); }
    byLane.get(lane).push(iv);
  }
  lanes.sort();
  const W = 1100;
  const left = 320;
  const laneH = 22;
  const height = 30 + lanes.length * laneH;
  const x = ms => left + Math.max(0, (ms - from) / (now - from)) * (W - left - 10);
  const g = C.svg('svg', { width: W, height, viewBox: '0 0 ' + W + ' ' + height, class: 'timeline-svg' });
  for (let m = 0; m <= span; m += span / 6) {
    const tx = x(from + m * 60000);
    g.appendChild(C.svg('line', { x1: tx, x2: tx, y1: 0, y2: height - 14, class: 'grid' }));
    g.appendChild(C.svg('text', { x: tx, y: height - 2, class: 'axis', 'text-anchor': 'middle' }, m === span ? 'now' : '-' + (span - m) + ' min'));
  }
  lanes.forEach((lane, i) => {
    const y = 6 + i * laneH;
    g.appendChild(C.svg('text', { x: 4, y: y + 13, class: 'lane' }, lane.length > 48 ? lane.substring(0, 47) + '…' : lane));
    for (const iv of byLane.get(lane)) {
      const x1 = x(iv.start);
      const w = Math.max(3, x(iv.end) - x1);
      const r = C.svg('rect', { x: x1, y, width: w, height: laneH - 6, rx: 2,
        class: 'alert-bar sev-' + iv.severity + (iv.open ? ' open' : ' resolved') });
      r.appendChild(C.svg('title', {}, iv.name + ' (' + iv.severity + ') ' + (iv.open ? 'firing' : 'resolved') + ': ' + (iv.message || '')));
      g.appendChild(r);
    }
  });
  const holder = el('div', { id: 'alert-timeline', class: 'chart' });
  holder.dataset.points = String(data.intervals.length);
  holder.append(el('div', { class: 'chart-title' }, 'Firing (bright) and resolved (dim) alerts over the last ' + span + ' min'), g);
  return holder;
}

async function alerts() {
  const load = async () => {
    const data = await api('alerts');
    if (!data.enabled) {
      render(el('h2', {}, 'Alerts'), el('div', { class: 'notice', id: 'alerts-disabled' },
        'Alerting is not enabled for this console. With SLOs or log analysis enabled (marty demo does), burn-rate and log alerts appear here.'));
      return;
    }
    const timeline = await api('charts/alerts');
    const rows = data.alerts.map(a => el('tr', { class: 'alert-row' },
      el('td', { class: 'mono' }, time(a.epochMillis * 1e6)),
      el('td', { class: a.severity === 'critical' ? 'err' : a.severity === 'warning' ? 'warn' : '' }, a.severity),
      el('td', {}, a.name), el('td', {}, a.service ? svc(a.service) : ''),
      el('td', { class: 'msg' }, a.message),
      el('td', {}, a.traceId ? link('trace', traceHref(a.traceId), 'trace-link') : '', ' ',
        a.correlationId ? link('correlation', corrHref(a.correlationId), 'corr-link') : '')));
    render(el('h2', {}, 'Alerts'), data.error ? error(new Error(data.error)) : '',
      timeline.intervals.length ? alertTimeline(timeline) : '',
      rows.length ? el('table', { id: 'alerts' },
        el('thead', {}, el('tr', {}, ['Time', 'Severity', 'Alert', 'Service', 'Message', 'Links'].map(h => el('th', {}, h)))),
        el('tbody', {}, rows)) : el('div', { class: 'notice' }, 'No alerts firing.'));
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 3000);
}

// ---- business: health score, components, revenue and conversion over time, anomalies ----
// Several series on one time axis: the union of their timestamps, null where a series has no point.
function mergeSeries(list, field, labelOf) {
  const ts = [...new Set(list.flatMap(s => s.t))].sort((a, b) => a - b);
  const index = new Map(ts.map((t, i) => [t, i]));
  return { t: ts, series: list.map(s => {
    const values = new Array(ts.length).fill(null);
    s.t.forEach((t, i) => { values[index.get(t)] = (s[field] || [])[i]; });
    return { label: labelOf(s), values };
  }) };
}
function attrText(s, skip) {
  return Object.entries(s.attributes || {}).filter(([k]) => k !== skip).map(([k, v]) => k + '=' + v).join(' ');
}
function num(v, digits) { return v == null ? '–' : Number(v).toFixed(digits); }
// an input or baseline: whole numbers from 1000 up, else four significant digits
function amount(v) { return v == null ? '–' : Math.abs(v) >= 1000 ? Number(v).toFixed(0) : String(Number(Number(v).toPrecision(4))); }

async function business(_arg, params) {
  const window = params.get('window') || '900';
  const summary = el('div', { id: 'business-health' });
  const comps = el('div', { id: 'business-components' });
  const revenue = el('div', { id: 'chart-revenue' });
  const conversion = el('div', { id: 'chart-conversion' });
  const score = el('div', { id: 'chart-health' });
  const anomalies = el('div', { id: 'business-anomalies' });
  const empty = el('div', { id: 'business-empty' });
  render(el('h2', {}, 'Business'), el('div', { class: 'filters' }, windowPicker(params, '#/business')), empty, summary, comps,
    el('div', { class: 'chart-grid' }, revenue, conversion, score), el('h3', {}, 'Anomalies'), anomalies);
  const load = async () => {
    const d = await api('business', { window });
    const none = !d.health.length && !d.components.length && !d.revenue.length && !d.conversion.length && !d.anomalies.length;
    empty.replaceChildren(none ? el('div', { class: 'notice' }, 'No business metrics received. Record orders, revenue and funnel steps with ',
      el('span', { class: 'mono' }, 'BusinessMetrics'), ' and score health with ', el('span', { class: 'mono' }, 'BusinessHealth'),
      ' (see ', el('span', { class: 'mono', id: 'business-docs' }, 'docs/business.md'),
      '), then export metrics over OTLP to this console.') : '');
    summary.replaceChildren(...d.health.map(h => el('div', { class: 'health-score' },
      el('span', { class: 'muted' }, 'Health score '), svc(h.service), ' ',
      el('strong', { class: 'score' + (h.latest != null && h.latest < 50 ? ' err' : h.latest != null && h.latest < 80 ? ' warn' : '') }, num(h.latest, 1)),
      el('span', { class: 'muted' }, ' / 100'))));
    comps.replaceChildren(d.components.length ? el('table', { id: 'components' },
      el('thead', {}, el('tr', {}, ['Service', 'Component', 'Input', 'Baseline', 'Sub-score (0-100)', 'Weight'].map(h => el('th', {}, h)))),
      el('tbody', {}, d.components.map(c => el('tr', { class: 'component-row' }, el('td', {}, svc(c.service)),
        el('td', { class: 'mono' }, c.component),
        el('td', { class: 'num' }, amount(c.input)),
        el('td', { class: 'num' }, amount(c.baseline)),
        el('td', { class: 'num' }, c.subScore == null ? 'missing' : num(c.subScore, 1)),
        el('td', { class: 'num' }, c.weight == null ? '–' : pct(c.weight)))))) : '');
    const rv = mergeSeries(d.revenue, 'rate', s => s.service + ' ' + attrText(s));
    MartyCharts.timeSeries(revenue, { title: 'Revenue (minor units per second)', t: rv.t, series: rv.series,
      emptyText: 'No revenue recorded in this window.' });
    const cv = mergeSeries(d.conversion, 'values', s => attrText(s));
    MartyCharts.timeSeries(conversion, { title: 'Funnel conversion', t: cv.t, series: cv.series, fmt: v => v == null ? '–' : pct(v),
      emptyText: 'No funnel conversion recorded in this window.' });
    const hs = mergeSeries(d.health, 'values', s => s.service);
    MartyCharts.timeSeries(score, { title: 'Health score', t: hs.t, series: hs.series, emptyText: 'No health score recorded in this window.' });
    anomalies.replaceChildren(d.anomalies.length ? el('table', { id: 'anomalies' },
      el('thead', {}, el('tr', {}, ['Time', 'Rule', 'Service', 'Series', 'Observed', 'Expected', 'Change'].map(h => el('th', {}, h)))),
      el('tbody', {}, d.anomalies.map(a => el('tr', { class: 'anomaly-row', title: a.message },
        el('td', { class: 'mono' }, time(a.epochNanos)),
        el('td', { class: a.severity === 'critical' ? 'err' : 'warn' }, a.rule),
        el('td', {}, svc(a.service)), el('td', {}, a.series + ' (' + a.direction + ')'),
        el('td', { class: 'num' }, num(a.observed, 2)), el('td', { class: 'num' }, num(a.expected, 2)),
        el('td', { class: 'num' }, a.observed != null && a.expected ? pct((a.observed - a.expected) / Math.abs(a.expected)) : '–')))))
      : el('div', { class: 'notice' }, 'No anomaly alerts received (the business module\'s log notifier writes them).'));
  };
  await load();
  refreshTimer = setInterval(() => load().catch(() => {}), 5000);
}

// ---- header: store stats + alert badge ----
async function header() {
  try {
    const s = await api('stats');
    document.getElementById('stats').textContent =
      s.spans.count + ' spans · ' + s.logs.count + ' logs · ' + s.metricPoints.count + ' points';
    const a = await api('alerts');
    const badge = document.getElementById('alert-badge');
    badge.textContent = a.alerts.length;
    badge.classList.toggle('hidden', !a.alerts.length);
  } catch (e) { /* console may be restarting */ }
}
setInterval(header, 3000);
header();
route();
