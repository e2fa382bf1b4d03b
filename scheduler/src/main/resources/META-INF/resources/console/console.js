// The fleet console: reads /console/api/* as an operator (the token stays in this tab's session storage), draws
// the charts as plain SVG, refreshes every five seconds, and sets budgets through the same Fleet service as gRPC.
'use strict';

const API = '/console/api/';
const SVG = 'http://www.w3.org/2000/svg';
const REFRESH_MS = 5000;

const token = () => sessionStorage.getItem('un0-operator-token') || '';
const status = (text, error) => {
  const s = document.getElementById('status');
  s.textContent = text;
  s.classList.toggle('error', !!error);
};

async function api(path, init = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, init.headers || {});
  if (token()) headers.Authorization = 'Bearer ' + token();
  const response = await fetch(API + path, Object.assign({}, init, { headers }));
  const body = await response.json();
  if (!response.ok) {
    const fields = (body.violations || []).map((v) => v.field + ': ' + v.description).join('; ');
    throw new Error(body.code + ': ' + (fields || body.message));
  }
  return body;
}

function el(name, attributes = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(width, height, label) {
  const s = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': label });
  s.appendChild(el('title', {}, label));
  return s;
}

const watts = (w) => (w >= 1000 ? (w / 1000).toFixed(2) + ' kW' : w.toFixed(1) + ' W');
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

// Each pool's draw as a bar, its budget as a line across it; red where it draws more than it may.
function drawPools(pools) {
  const box = document.getElementById('pools');
  box.replaceChildren();
  if (!pools.length) {
    box.textContent = 'No live pools.';
    return;
  }
  const row = 34;
  const left = 230;
  const width = 720;
  const scale = Math.max(1, ...pools.map((p) => Math.max(p.powerWatts || 0, p.budgetWatts ?? 0))) * 1.1;
  const x = (w) => left + (w / scale) * (width - left - 90);
  const chart = svg(width, row * pools.length + 10, 'Power drawn by each pool against its budget');
  pools.forEach((p, i) => {
    const y = 6 + i * row;
    const power = p.powerWatts || 0;
    const over = p.budgetWatts !== undefined && power > p.budgetWatts;
    const g = el('g', { 'data-pool': p.pool });
    g.appendChild(el('text', { x: 0, y: y + 12, class: 'label' }, p.pool));
    g.appendChild(el('text', { x: 0, y: y + 25 }, `${p.region || ''} · ${p.liveWorkers || 0} workers · ${p.queued || 0}/${p.capacity || 0} queued`));
    g.appendChild(el('rect', { x: left, y, width: Math.max(1, x(power) - left), height: 20, class: over ? 'power over' : 'power' }));
    if (p.budgetWatts !== undefined) {
      g.appendChild(el('line', { x1: x(p.budgetWatts), x2: x(p.budgetWatts), y1: y - 3, y2: y + 23, class: 'budget' }));
    }
    const label = watts(power) + (p.budgetWatts !== undefined ? ' of ' + watts(p.budgetWatts) : ', no budget');
    g.appendChild(el('text', { x: x(Math.max(power, p.budgetWatts ?? 0)) + 6, y: y + 14 }, label));
    chart.appendChild(g);
  });
  box.appendChild(chart);
}

// A line through (t, value) points, with its first and last times and the range on the axes.
function lineChart(label, series, unit) {
  const width = 300;
  const height = 110;
  const all = series.flatMap((s) => s.points);
  const chart = svg(width, height, label);
  if (all.length === 0) return chart;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t), t0 + 1);
  const vmax = Math.max(...all.map((p) => p.v)) * 1.1 || 1;
  const x = (t) => 30 + ((t - t0) / (t1 - t0)) * (width - 40);
  const y = (v) => height - 20 - (v / vmax) * (height - 30);
  chart.appendChild(el('line', { x1: 30, x2: width - 10, y1: height - 20, y2: height - 20, class: 'axis' }));
  chart.appendChild(el('text', { x: 0, y: 12 }, vmax.toPrecision(3) + ' ' + unit));
  chart.appendChild(el('text', { x: 30, y: height - 4 }, time(t0)));
  chart.appendChild(el('text', { x: width - 4, y: height - 4, 'text-anchor': 'end' }, time(t1)));
  for (const s of series) {
    if (!s.points.length) continue;
    const d = s.points.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1)).join(' ');
    chart.appendChild(el('path', { d, class: s.dashed ? 'series boundary' : 'series' }));
    // A dot per point: a minute alone is still seen.
    for (const p of s.points) {
      chart.appendChild(el('circle', { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 2.5, class: s.dashed ? 'dot boundary' : 'dot' }));
    }
  }
  return chart;
}

function drawGrid(signals) {
  const box = document.getElementById('grid');
  box.replaceChildren();
  for (const s of signals) {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.region = s.region;
    card.innerHTML = `<div><strong></strong> <span class="badge"></span></div><div class="big"></div>`;
    card.querySelector('strong').textContent = s.region;
    const badge = card.querySelector('.badge');
    badge.textContent = s.stale ? 'stale' : s.source;
    badge.classList.toggle('stale', !!s.stale);
    card.querySelector('.big').textContent = (s.gramsPerKwh || 0).toFixed(0) + ' g/kWh';
    const points = (s.forecast || []).map((p) => ({ t: Date.parse(p.from), v: p.gramsPerKwh || 0 }));
    card.appendChild(points.length ? lineChart(`Forecast for ${s.region}`, [{ points }], 'g/kWh')
      : Object.assign(document.createElement('p'), { className: 'note', textContent: 'No forecast from this source.' }));
    box.appendChild(card);
  }
}

function drawRouting(decisions) {
  const box = document.getElementById('routing');
  box.replaceChildren();
  const bars = [
    ...Object.entries(decisions.assignedByPool || {}).map(([pool, n]) => ({ label: '→ ' + pool, n })),
    ...Object.entries(decisions.byKind || {}).filter(([k]) => k !== 'assign').map(([kind, n]) => ({ label: kind, n })),
  ];
  if (!bars.length) {
    box.textContent = 'No decisions in the last hour.';
  } else {
    const width = 640;
    const row = 24;
    const max = Math.max(...bars.map((b) => b.n));
    const chart = svg(width, bars.length * row + 6, 'Jobs of the last hour by where they were sent, deferred or shed');
    bars.forEach((b, i) => {
      const y = 4 + i * row;
      chart.appendChild(el('text', { x: 0, y: y + 13, class: 'label' }, b.label));
      chart.appendChild(el('rect', { x: 150, y, width: Math.max(1, (b.n / max) * (width - 220)), height: 16, class: 'bar' }));
      chart.appendChild(el('text', { x: 156 + (b.n / max) * (width - 220), y: y + 13 }, String(b.n)));
    });
    box.appendChild(chart);
  }
  const body = document.querySelector('#decisions tbody');
  body.replaceChildren(...(decisions.latest || []).map((d) => {
    const tr = document.createElement('tr');
    for (const v of [time(d.decided), d.jobId, d.kind, d.pool || '', d.reason || '']) {
      tr.appendChild(Object.assign(document.createElement('td'), { textContent: v }));
    }
    return tr;
  }));
  const deferred = document.getElementById('deferred');
  const waiting = decisions.deferredWaiting || [];
  deferred.replaceChildren(...(waiting.length ? waiting.map((d) => Object.assign(document.createElement('li'), {
    textContent: `${d.jobId}: until ${d.holdUntil ? new Date(d.holdUntil).toLocaleString() : '?'} — ${d.reason || ''}`,
  })) : [Object.assign(document.createElement('li'), { textContent: 'Nothing deferred.' })]));
}

function drawTenants(tenants) {
  const box = document.getElementById('tenants');
  box.replaceChildren();
  const entries = Object.entries(tenants || {});
  if (!entries.length) {
    box.textContent = 'No results in the last hour.';
    return;
  }
  for (const [tenant, minutes] of entries) {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.tenant = tenant;
    const images = minutes.reduce((n, m) => n + m.images, 0);
    card.appendChild(Object.assign(document.createElement('div'), { innerHTML: '<strong></strong>' }));
    card.querySelector('strong').textContent = `${tenant} · ${images} images`;
    const at = (m) => Date.parse(m.minute);
    const points = (key) => minutes.filter((m) => m[key] !== null && m[key] !== undefined).map((m) => ({ t: at(m), v: m[key] }));
    const charts = Object.assign(document.createElement('div'), { className: 'pair' });
    charts.appendChild(lineChart(`Joules per image for ${tenant}`,
      [{ points: points('joulesPerImage') }, { points: points('boundaryJoulesPerImage'), dashed: true }], 'J/image'));
    charts.appendChild(lineChart(`Grams of CO2e per image for ${tenant}`,
      [{ points: points('gramsPerImage') }, { points: points('boundaryGramsPerImage'), dashed: true }], 'gCO2e/image'));
    card.appendChild(charts);
    box.appendChild(card);
  }
}

async function refresh() {
  if (!token()) return;
  try {
    const [fleet, activity] = await Promise.all([api('fleet'), api('activity')]);
    drawPools(fleet.pools.pools || []);
    drawGrid(fleet.signals.signals || []);
    drawRouting(activity.decisions || {});
    drawTenants(activity.tenants);
    const names = document.getElementById('budget-names');
    names.replaceChildren(...(fleet.pools.pools || []).map((p) => Object.assign(document.createElement('option'), { value: p.pool })));
    status('Updated ' + new Date().toLocaleTimeString() + (activity.feedStopped ? ' — activity feed stopped: ' + activity.feedStopped : ''),
      !!activity.feedStopped);
  } catch (e) {
    status(e.message, true);
  }
}

document.getElementById('sign-in').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('un0-operator-token', document.getElementById('token').value.trim());
  document.getElementById('token').value = '';
  refresh();
});

document.getElementById('budget').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const result = document.getElementById('budget-result');
  try {
    const set = await api('budgets', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scope: form.get('scope'), name: form.get('name'), watts: Number(form.get('watts')), reason: form.get('reason') }),
    });
    result.textContent = `Budget of ${set.name} set to ${watts(set.watts)}.`;
    result.classList.remove('error');
    refresh();
  } catch (err) {
    result.textContent = err.message;
    result.classList.add('error');
  }
});

refresh();
setInterval(refresh, REFRESH_MS);
