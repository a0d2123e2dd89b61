// The html format of `green-tsc graph`: one self-contained page. The layout is computed here (layered,
// left to right: roots first, suspension points last; cycles broken by a depth-first search; rows
// ordered by a few barycenter sweeps), drawn as inline SVG, with a small inline script for pan, zoom,
// search and highlighting a node's callers and callees. No network access: no CDN, no fonts, no fetch.
import type { GreenGraph, GraphNode, NodeKind } from './chain.js';

export const kindStyle: Record<NodeKind, { fill: string; stroke: string; shape: string; label: string }> = {
  root: { fill: '#d4f4dd', stroke: '#1e8e3e', shape: 'box', label: 'root (@green)' },
  suspending: { fill: '#fde7c8', stroke: '#c26401', shape: 'box', label: 'suspending function' },
  point: { fill: '#f9d0d0', stroke: '#b3261e', shape: 'octagon', label: 'suspension point (@suspends)' },
  slot: { fill: '#e8eaf6', stroke: '#3f51b5', shape: 'ellipse', label: 'slot (parameter, variable, property)' },
  virtual: { fill: '#f3e5f5', stroke: '#7b1fa2', shape: 'box', label: 'virtual member (interface, abstract)' },
  plain: { fill: '#eeeeee', stroke: '#757575', shape: 'box', label: 'plain' },
};

const NODE_W = 210, NODE_H = 40, COL_GAP = 90, ROW_GAP = 18, PAD = 24;

interface Placed { node: GraphNode; rank: number; order: number; x: number; y: number }

export function layout(g: GreenGraph): { placed: Map<string, Placed>; width: number; height: number } {
  const ids = g.nodes.map((n) => n.id);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of g.edges) if (e.from !== e.to && out.has(e.from) && out.has(e.to)) out.get(e.from)!.push(e.to);
  // break cycles: edges to a node on the DFS stack are ignored for ranking
  const state = new Map<string, 1 | 2>();
  const dag = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of g.edges) if (indeg.has(e.to) && e.from !== e.to) indeg.set(e.to, indeg.get(e.to)! + 1);
  const starts = [...ids.filter((id) => indeg.get(id) === 0), ...ids];
  for (const s of starts) {
    if (state.has(s)) continue;
    const stack: Array<[string, number]> = [[s, 0]];
    state.set(s, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const succ = out.get(top[0])!;
      if (top[1] < succ.length) {
        const t = succ[top[1]++]!;
        const st = state.get(t);
        if (st === 1) continue;
        dag.get(top[0])!.push(t);
        if (!st) { state.set(t, 1); stack.push([t, 0]); }
      } else { state.set(top[0], 2); stack.pop(); }
    }
  }
  // longest-path ranks in topological order (Kahn)
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  const deg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const [, ts] of dag) for (const t of ts) deg.set(t, deg.get(t)! + 1);
  const queue = ids.filter((id) => deg.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const t of dag.get(v)!) {
      rank.set(t, Math.max(rank.get(t)!, rank.get(v)! + 1));
      deg.set(t, deg.get(t)! - 1);
      if (deg.get(t) === 0) queue.push(t);
    }
  }
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  let maxRank = 0;
  for (const r of rank.values()) maxRank = Math.max(maxRank, r);
  for (const n of g.nodes) if (n.kind === 'point' && (out.get(n.id)!.length === 0)) rank.set(n.id, maxRank);
  const layers: string[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (const id of ids) layers[rank.get(id)!]!.push(id);
  // barycenter sweeps
  const pos = new Map<string, number>();
  const setPos = () => layers.forEach((l) => l.forEach((id, i) => pos.set(id, i)));
  setPos();
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [v, ts] of out) for (const t of ts) preds.get(t)!.push(v);
  for (let sweep = 0; sweep < 6; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const l of order) {
      const bary = new Map<string, number>();
      for (const id of l) {
        const ns = (down ? preds.get(id)! : out.get(id)!).filter((x) => rank.get(x) !== rank.get(id));
        bary.set(id, ns.length ? ns.reduce((a, x) => a + pos.get(x)!, 0) / ns.length : pos.get(id)!);
      }
      l.sort((a, b) => bary.get(a)! - bary.get(b)! || pos.get(a)! - pos.get(b)!);
      l.forEach((id, i) => pos.set(id, i));
    }
  }
  const tallest = Math.max(1, ...layers.map((l) => l.length));
  // room above the rows for edges that arc over columns (long edges) or loop back
  let lift = 0;
  for (const e of g.edges) {
    const ra = rank.get(e.from), rb = rank.get(e.to);
    if (ra === undefined || rb === undefined) continue;
    lift = Math.max(lift, rb > ra + 1 ? arcLift(rb - ra) : rb <= ra ? 40 + Math.abs(rb - ra) * (NODE_W + COL_GAP) * 0.15 : 0);
  }
  const top0 = PAD + lift * 0.8;
  const height = top0 + PAD + tallest * NODE_H + (tallest - 1) * ROW_GAP;
  const width = PAD * 2 + layers.length * NODE_W + (layers.length - 1) * COL_GAP;
  const placed = new Map<string, Placed>();
  layers.forEach((l, r) => {
    const colH = l.length * NODE_H + (l.length - 1) * ROW_GAP;
    const top = top0 + (height - top0 - PAD - colH) / 2;
    l.forEach((id, i) => placed.set(id, { node: byId.get(id)!, rank: r, order: i, x: PAD + r * (NODE_W + COL_GAP), y: top + i * (NODE_H + ROW_GAP) }));
  });
  return { placed, width, height };
}

function arcLift(span: number): number { return Math.min(160, 30 + 14 * span); }

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(s: string, n: number): string { return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }

export function renderSvg(g: GreenGraph): string {
  const { placed, width, height } = layout(g);
  const parts: string[] = [];
  parts.push(`<svg id="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="green call graph">`);
  parts.push('<defs>' + Object.entries({ call: '#555', flow: '#3f51b5', virtual: '#7b1fa2' }).map(([k, c]) =>
    `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${c}"/></marker>`).join('') + '</defs>');
  parts.push('<g id="viewport">');
  parts.push('<g class="edges">');
  g.edges.forEach((e, i) => {
    const a = placed.get(e.from), b = placed.get(e.to);
    if (!a || !b) return;
    let d: string;
    if (b.rank === a.rank + 1) {
      const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2, mx = (x1 + x2) / 2;
      d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
    } else if (b.rank > a.rank) {
      // a long edge arcs over the columns between, so it never hides behind a node
      const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2;
      const top = Math.min(a.y, b.y) - arcLift(b.rank - a.rank);
      d = `M${x1},${y1} C${x1 + COL_GAP},${top} ${x2 - COL_GAP},${top} ${x2},${y2}`;
    } else {
      // same layer or backwards: loop over the top of the nodes
      const x1 = a.x + NODE_W / 2, y1 = a.y, x2 = b.x + NODE_W / 2, y2 = b.y, lift = 30 + Math.abs(x1 - x2) * 0.15;
      d = a === b ? `M${x1 - 20},${y1} C${x1 - 40},${y1 - 40} ${x1 + 40},${y1 - 40} ${x1 + 20},${y1}` : `M${x1},${y1} C${x1},${Math.min(y1, y2) - lift} ${x2},${Math.min(y1, y2) - lift} ${x2},${y2}`;
    }
    const title = `${e.kind}${e.text ? ': ' + e.text : ''}${e.site ? ` (${e.site.file}:${e.site.line})` : ''}`;
    const dash = e.kind === 'flow' ? ' stroke-dasharray="5,4"' : e.kind === 'virtual' ? ' stroke-dasharray="2,3"' : '';
    parts.push(`<path class="edge edge-${e.kind}" id="e${i}" data-from="${e.from}" data-to="${e.to}" d="${d}" fill="none" stroke="${e.kind === 'call' ? '#555' : e.kind === 'flow' ? '#3f51b5' : '#7b1fa2'}" stroke-width="1.4"${dash} marker-end="url(#arrow-${e.kind})"><title>${esc(title)}</title></path>`);
  });
  parts.push('</g><g class="nodes">');
  for (const p of placed.values()) {
    const n = p.node, st = kindStyle[n.kind];
    const title = `${n.name}\n${n.kind}${n.detail ? ' (' + n.detail + ')' : ''}\n${n.file}:${n.line}`;
    parts.push(`<g class="node node-${n.kind}" id="${n.id}" data-name="${esc(n.name)}" transform="translate(${p.x},${p.y})">`
      + `<title>${esc(title)}</title>`
      + `<rect width="${NODE_W}" height="${NODE_H}" rx="${n.kind === 'slot' ? 18 : n.kind === 'point' ? 10 : 4}" fill="${st.fill}" stroke="${st.stroke}" stroke-width="1.5"/>`
      + `<text x="8" y="16" font-size="12" font-weight="600">${esc(clip(n.name, 30))}</text>`
      + `<text x="8" y="31" font-size="10" fill="#555">${esc(clip(`${n.file}:${n.line}`, 36))}</text>`
      + '</g>');
  }
  parts.push('</g></g></svg>');
  return parts.join('\n');
}

export function renderHtml(g: GreenGraph, title: string): string {
  const legend = Object.entries(kindStyle).filter(([k]) => g.nodes.some((n) => n.kind === k))
    .map(([k, s]) => `<span class="key"><i style="background:${s.fill};border-color:${s.stroke}"></i>${esc(s.label)} (${g.nodes.filter((n) => n.kind === k).length})</span>`).join(' ');
  const data = JSON.stringify(g).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>green call graph — ${esc(title)}</title>
<style>
  body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; }
  header { padding: 8px 14px; border-bottom: 1px solid #ddd; display: flex; gap: 14px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 15px; margin: 0; }
  .key { display: inline-flex; align-items: center; gap: 4px; margin-right: 8px; }
  .key i { display: inline-block; width: 12px; height: 12px; border: 1.5px solid; border-radius: 2px; }
  #wrap { position: absolute; top: 48px; left: 0; right: 300px; bottom: 0; overflow: hidden; cursor: grab; }
  #info { position: absolute; top: 48px; right: 0; width: 284px; bottom: 0; border-left: 1px solid #ddd; padding: 8px; overflow: auto; white-space: pre-wrap; font-size: 12px; }
  svg text { font-family: inherit; pointer-events: none; }
  .node { cursor: pointer; }
  .dim { opacity: 0.15; }
  .hit rect { stroke-width: 3; }
  input { font: inherit; padding: 2px 6px; }
</style>
</head>
<body>
<header><h1>green call graph — ${esc(title)}</h1><span>${g.nodes.length} nodes, ${g.edges.length} edges</span>${legend}<input id="q" placeholder="find a function"></header>
<div id="wrap">
${renderSvg(g)}
</div>
<div id="info">Click a node: its callers and callees stay lit, the rest dims. Drag to pan, wheel to zoom, Escape to reset.</div>
<script type="application/json" id="graph-data">${data}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var svg = document.getElementById('graph'), vp = document.getElementById('viewport'), wrap = document.getElementById('wrap'), info = document.getElementById('info');
  var byId = {}; data.nodes.forEach(function (n) { byId[n.id] = n; });
  var tx = 0, ty = 0, k = 1;
  svg.removeAttribute('width'); svg.removeAttribute('height'); svg.style.width = '100%'; svg.style.height = '100%';
  function apply() { vp.setAttribute('transform', 'translate(' + tx + ',' + ty + ') scale(' + k + ')'); }
  wrap.addEventListener('wheel', function (ev) { ev.preventDefault(); var f = ev.deltaY < 0 ? 1.15 : 1 / 1.15; k = Math.max(0.1, Math.min(8, k * f)); apply(); }, { passive: false });
  var drag = null;
  wrap.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX - tx, y: ev.clientY - ty }; });
  window.addEventListener('mousemove', function (ev) { if (drag) { tx = ev.clientX - drag.x; ty = ev.clientY - drag.y; apply(); } });
  window.addEventListener('mouseup', function () { drag = null; });
  function neighbours(id) {
    var keep = {}; keep[id] = true;
    var walk = function (start, dir) {
      var todo = [start];
      while (todo.length) { var v = todo.pop(); data.edges.forEach(function (e) { var a = dir ? e.from : e.to, b = dir ? e.to : e.from; if (a === v && !keep[b + dir]) { keep[b + dir] = true; keep[b] = true; todo.push(b); } }); }
    };
    walk(id, 1); walk(id, 0);
    return keep;
  }
  function reset() { Array.prototype.forEach.call(document.querySelectorAll('.dim,.hit'), function (el) { el.classList.remove('dim'); el.classList.remove('hit'); }); }
  function focus(id) {
    reset();
    var keep = neighbours(id);
    Array.prototype.forEach.call(document.querySelectorAll('.node'), function (el) { if (!keep[el.id]) el.classList.add('dim'); });
    Array.prototype.forEach.call(document.querySelectorAll('.edge'), function (el) { if (!(keep[el.getAttribute('data-from')] && keep[el.getAttribute('data-to')])) el.classList.add('dim'); });
    document.getElementById(id).classList.add('hit');
    var n = byId[id];
    var lines = [n.name, n.kind + (n.detail ? ' (' + n.detail + ')' : ''), n.file + ':' + n.line, '', 'calls / depends on:'];
    data.edges.forEach(function (e) { if (e.from === id) lines.push('  ' + byId[e.to].name + (e.site ? '  at :' + e.site.line : '') + (e.kind !== 'call' ? '  [' + e.kind + ']' : '')); });
    lines.push('', 'called by:');
    data.edges.forEach(function (e) { if (e.to === id) lines.push('  ' + byId[e.from].name + (e.site ? '  at ' + e.site.file + ':' + e.site.line : '')); });
    info.textContent = lines.join('\\n');
  }
  Array.prototype.forEach.call(document.querySelectorAll('.node'), function (el) { el.addEventListener('click', function (ev) { ev.stopPropagation(); focus(el.id); }); });
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') { reset(); tx = ty = 0; k = 1; apply(); } });
  document.getElementById('q').addEventListener('input', function (ev) {
    var q = ev.target.value.toLowerCase(); reset(); if (!q) return;
    Array.prototype.forEach.call(document.querySelectorAll('.node'), function (el) { if (el.getAttribute('data-name').toLowerCase().indexOf(q) < 0) el.classList.add('dim'); });
  });
})();
</script>
</body>
</html>
`;
}
