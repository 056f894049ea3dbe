// The lineage explorer: search assets, open one, see its fields, usages and lineage graph.
// Talks only to this service's API; the token (when the server asks for one) lives in sessionStorage.
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";
import { marked } from "marked";
import DOMPurify from "dompurify";

cytoscape.use(dagre);

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
};

const state = {
  get tenant() { return sessionStorage.getItem("lineage.tenant") || "main"; },
  set tenant(v) { sessionStorage.setItem("lineage.tenant", v || "main"); },
  get token() { return sessionStorage.getItem("lineage.token") || ""; },
  set token(v) { v ? sessionStorage.setItem("lineage.token", v) : sessionStorage.removeItem("lineage.token"); },
};

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, params = {}) {
  const url = new URL(`/api/v1/${encodeURIComponent(state.tenant)}${path}`, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  const headers = { Accept: "application/json" };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const res = await fetch(url, { headers });
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (res.status === 401) {
    await askToken(body && body.detail);
    return api(path, params);
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

const assetPath = (id) => `/assets/${encodeURIComponent(id)}`;
const assetHref = (id) => `#/asset/${encodeURIComponent(id)}`;

// -- token dialog --------------------------------------------------------------------------------------
function askToken(reason) {
  return new Promise((resolve) => {
    const dialog = $("#token-dialog");
    $("#token-reason").textContent = reason || "This server needs an API token.";
    const input = $("#token-input");
    input.value = "";
    dialog.showModal();
    $("#token-form").onsubmit = (ev) => {
      ev.preventDefault();
      state.token = input.value.trim();
      dialog.close();
      resolve();
    };
  });
}

// -- search --------------------------------------------------------------------------------------------
let assetTypes = null;

async function renderSearch(main, query) {
  if (!assetTypes) {
    try { assetTypes = await api("/asset-types"); } catch { assetTypes = []; }
  }
  const form = el("form", { class: "search", id: "search-form" },
    el("label", {}, "Id contains", el("input", { name: "q", id: "search-q", value: query.get("q") || "", placeholder: "trips", autofocus: true })),
    el("label", {}, "Type", el("input", { name: "type", list: "types", value: query.get("type") || "", placeholder: "any" })),
    el("datalist", { id: "types" }, assetTypes.map((t) => el("option", { value: t.type }, t.name))),
    el("label", {}, "Namespace", el("input", { name: "namespace", value: query.get("namespace") || "", placeholder: "company.team" })),
    el("label", {}, "Metadata", el("input", { name: "metadata", value: query.get("metadata") || "", placeholder: "model_layer=mart, owner=data" })),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "deleted", checked: query.get("deleted") === "true" }), "deleted too"),
    el("button", { type: "submit", id: "search-button" }, "Search"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const k of ["q", "type", "namespace", "metadata"]) if (data.get(k)) next.set(k, data.get(k));
    if (data.get("deleted")) next.set("deleted", "true");
    location.hash = `#/search?${next}`;
  });
  const results = el("section", { id: "results" });
  main.replaceChildren(el("h1", {}, "Assets"), form, results);
  const params = { q: query.get("q"), type: query.get("type"), namespace: query.get("namespace"), size: 50,
                   page: query.get("page") || 1, deleted: query.get("deleted") };
  for (const pair of (query.get("metadata") || "").split(",")) {
    const [k, ...v] = pair.split("=");
    if (k && k.trim() && v.length) params[`metadata.${k.trim()}`] = v.join("=").trim();
  }
  try {
    const page = await api("/assets", params);
    results.append(el("p", { class: "muted", id: "result-count" }, `${page.total} asset${page.total === 1 ? "" : "s"}`));
    results.append(table(["Id", "Type", "Namespace", "Updated"], page.results.map((a) => [
      el("a", { href: assetHref(a.id), class: "asset-link", "data-id": a.id }, a.id, a.deleted ? el("span", { class: "badge danger" }, "deleted") : null),
      typeLabel(a.type), a.namespace || "—", when(a.updated)])));
  } catch (err) {
    results.append(errorBox(err));
  }
}

// -- asset page ----------------------------------------------------------------------------------------
async function renderAsset(main, id, query) {
  // one level by default (what users of other explorers ask for): a hub's neighbourhood then fits a screen; the
  // headline counts every level whatever this says
  const depth = query.get("depth") || "1";
  const direction = query.get("direction") || "both";
  main.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  let asset;
  try {
    asset = await api(assetPath(id), { allowDeleted: true });
  } catch (err) {
    main.replaceChildren(el("p", {}, el("a", { href: "#/" }, "← search")), errorBox(err));
    return;
  }
  const setParam = (k, v) => {
    const q = new URLSearchParams(query);
    q.set(k, v);
    location.hash = `${assetHref(id)}?${q}`;
  };
  const controls = el("div", { class: "controls" },
    el("label", {}, "Depth ", select("depth", ["1", "2", "3", "5", "10", "all"], depth, (v) => setParam("depth", v))),
    el("label", {}, "Show ", select("direction", ["both", "upstream", "downstream"], direction, (v) => setParam("direction", v))));
  const graphBox = el("div", { id: "graph", class: "graph" });
  const impactLine = el("p", { id: "impact-count", class: "impact" }, "…");
  const impactDetail = el("div", { id: "impact-summary", class: "summary muted" });
  const sides = el("div", { class: "sides" },
    el("section", {}, el("h3", {}, "Upstream"), el("div", { id: "upstream-list" }, "…")),
    el("section", {}, el("h3", {}, "Downstream"), el("div", { id: "downstream-list" }, "…")));
  const description = el("div", { class: "markdown", id: "description" });
  description.innerHTML = DOMPurify.sanitize(marked.parse(asset.description || "*No description.*"));
  const usages = el("section", { id: "usages" });
  const checkLine = el("p", { id: "checks-line", hidden: true });
  const checks = el("section", { class: "card", id: "checks", hidden: true });
  const columns = el("section", { class: "card", id: "columns" }, el("h2", {}, "Columns"), el("p", { class: "muted" }, "…"));
  const graphNote = el("p", { id: "graph-note", class: "note", hidden: true });
  main.replaceChildren(
    el("p", {}, el("a", { href: "#/" }, "← search")),
    el("h1", { id: "asset-title" }, asset.id, asset.deleted ? el("span", { class: "badge danger" }, "deleted") : null),
    el("p", { class: "subtitle" }, typeLabel(asset.type), " · ", asset.namespace || "no namespace",
      asset.displayName ? ` · ${asset.displayName}` : ""),
    impactLine,
    impactDetail,
    checkLine,
    el("section", { class: "card" }, el("div", { class: "card-head" }, el("h2", {}, "Lineage"), controls), graphBox,
      graphNote,
      el("p", { class: "legend muted" }, "Upstream on the left, downstream on the right; an arrow is a task run (a small node where one run joins several assets). ",
        "A dashed node counts siblings not drawn: click it to draw them, 20 at a time. Click an asset to re-centre; drag to pan, scroll to zoom.")),
    sides,
    el("div", { class: "columns" },
      el("section", { class: "card" }, el("h2", {}, "Fields"), table(["Field", "Value"], [
        ["id", asset.id], ["tenantId", asset.tenantId], ["namespace", asset.namespace || "—"], ["type", asset.type],
        ["displayName", asset.displayName || "—"], ["created", when(asset.created)], ["updated", when(asset.updated)],
        ["createdBy", asset.createdBy || "—"], ["deleted", String(asset.deleted)]], "fields")),
      el("section", { class: "card" }, el("h2", {}, "Metadata"),
        Object.keys(asset.metadata).length
          ? table(["Key", "Value"], Object.entries(asset.metadata).map(([k, v]) => [k, JSON.stringify(v)]), "metadata")
          : el("p", { class: "muted" }, "No metadata."))),
    el("section", { class: "card" }, el("h2", {}, "Description"), description),
    checks,
    columns,
    el("section", { class: "card" }, el("h2", {}, "Usages"), usages));

  const graphDepth = depth === "all" ? undefined : depth;
  Promise.all([
    api(`${assetPath(id)}/lineage`, { depth: graphDepth, direction, limit: GRAPH_LIMIT, group: GRAPH_SIBLINGS }).then((g) => {
      drawGraph(graphBox, g);
      graphNote.hidden = !g.truncated;
      graphNote.textContent = g.truncated
        ? `The drawing stops at ${g.nodes.length} nodes: lower the depth or pick one side; the summary above and the tables below count every asset.`
        : "";
    }),
    // the headline comes from the whole answer, never from the drawing's depth
    renderSummary(impactLine, impactDetail, id),
    sideList("upstream", id, $("#upstream-list"), "upstream-table"),
    sideList("impact", id, $("#downstream-list"), "downstream-table"),
    renderUsages(usages, id, 1),
    renderChecks(checks, checkLine, id),
    renderColumns(columns, id),
  ]).catch((err) => main.append(errorBox(err)));
}

// -- the blast radius: counted at the full depth, downloadable whole --------------------------------------
const fmt = (n) => n.toLocaleString("en-US");

async function renderSummary(line, box, id) {
  const [down, up] = await Promise.all([api(`${assetPath(id)}/impact/summary`), api(`${assetPath(id)}/upstream/summary`)]);
  line.textContent = `Changing this affects ${fmt(down.total)} downstream asset${down.total === 1 ? "" : "s"}.`;
  const near = down.byDistance.length ? down.byDistance[0].count : 0;
  const far = down.byDistance.length ? down.byDistance[down.byDistance.length - 1].distance : 0;
  const top = (b, n = 4) => [...b.values.slice(0, n).map((v) => `${v.value} ${fmt(v.count)}`),
    ...(b.values.length > n || b.others ? [`${fmt(b.values.slice(n).reduce((a, v) => a + v.count, 0) + b.others)} more`] : [])].join(", ");
  const parts = [];
  if (down.total) {
    parts.push(`${fmt(near)} one hop away, the farthest ${far} hop${far === 1 ? "" : "s"} away`);
    parts.push(`namespaces: ${top(down.byNamespace)}`);
    for (const [key, b] of Object.entries(down.byMetadata)) if (b.values.length) parts.push(`${key}: ${top(b)}`);
    if (down.deleted) parts.push(`${fmt(down.deleted)} deleted`);
    if (down.hidden) parts.push(`${fmt(down.hidden)} in namespaces you cannot see`);
  }
  const download = (direction, format) => el("a", { href: "#", class: "download", "data-format": format,
    onclick: (ev) => { ev.preventDefault(); downloadAnswer(id, direction, format, ev.target); } }, format.toUpperCase());
  box.replaceChildren(
    parts.length ? el("p", { id: "impact-breakdown" }, parts.join(" · ")) : null,
    el("p", { id: "upstream-count" }, `Built from ${fmt(up.total)} upstream asset${up.total === 1 ? "" : "s"}.`,
      down.total ? el("span", {}, " Download the impact: ", download("impact", "csv"), " ", download("impact", "ndjson")) : null));
  box.dataset.ready = "true";
  canvasMoved();
}

// Content inserted above the drawing moves its canvas: tell Cytoscape (hover and clicks map to the right node).
const canvasMoved = () => { if (window.cy) window.cy.resize(); };

async function downloadAnswer(id, kind, format, link) {
  // fetched rather than linked, so the API token goes in a header and never into a URL
  const url = new URL(`/api/v1/${encodeURIComponent(state.tenant)}${assetPath(id)}/${kind}`, location.origin);
  url.searchParams.set("format", format);
  const headers = state.token ? { Authorization: `Bearer ${state.token}` } : {};
  link.textContent = "…";
  const res = await fetch(url, { headers });
  link.textContent = format.toUpperCase();
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { problem = null; }
    link.parentElement.append(errorBox(new ApiError(res.status, problem)));
    return;
  }
  const blob = await res.blob();
  const a = el("a", { href: URL.createObjectURL(blob), download: `${kind}-${id.replace(/[^A-Za-z0-9._-]+/g, "_")}.${format}` });
  document.body.append(a);
  a.click();
  a.remove();
}

// -- checks: the data-quality results reported about the asset (dbt's tests), which can fail on a fresh table ------
async function renderChecks(box, line, id) {
  const report = await api(`${assetPath(id)}/checks`);
  if (!report.latest.length) return;
  const failing = report.failing;
  line.hidden = false;
  line.replaceChildren(failing
    ? el("span", { class: "badge danger" }, `${failing} check${failing === 1 ? "" : "s"} failing`)
    : el("span", { class: "badge ok" }, `${report.passing} check${report.passing === 1 ? "" : "s"} passing`));
  box.hidden = false;
  canvasMoved();
  box.replaceChildren(el("h2", {}, "Checks"), table(["Check", "Column", "Result", "Actual", "Run", "When"],
    report.latest.map((c) => [c.assertion, c.column || "", el("span", { class: `badge ${c.success ? "ok" : "danger"}` },
      c.success ? "pass" : "FAIL"), c.actual || "", c.job, when(c.date)]), "checks-table"));
}

// -- columns: the asset's columns, and one column's lineage drawn when asked ---------------------------
async function renderColumns(box, id) {
  const { columns } = await api(`${assetPath(id)}/columns`);
  const head = el("h2", {}, "Columns");
  if (!columns.length) {
    box.replaceChildren(head, el("p", { class: "muted" }, "No columns known: they come from OpenLineage schema and columnLineage facets."));
    return;
  }
  const drawing = el("div", { id: "column-lineage" });
  const button = (c, kind, label) => el("button", { type: "button", class: "column-button", "data-column": c.name, "data-kind": kind,
    onclick: () => drawColumnLineage(drawing, id, c.name, kind) }, label);
  box.replaceChildren(head,
    table(["Column", "Type", "Description", "Lineage"], columns.map((c) => [el("code", {}, c.name), c.type || "—", c.description || "",
      el("span", {}, button(c, "upstream", "← upstream"), " ", button(c, "impact", "downstream →"))]), "columns-table"),
    drawing);
}

async function drawColumnLineage(box, id, column, kind) {
  box.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  const page = await api(`${assetPath(id)}/columns/${encodeURIComponent(column)}/${kind}`).catch((err) => { box.replaceChildren(errorBox(err)); return null; });
  if (!page) return;
  const noun = kind === "impact" ? "downstream" : "upstream";
  const title = el("h3", {}, `${page.items.length} column${page.items.length === 1 ? "" : "s"} ${noun} of ${column}`);
  if (!page.items.length) { box.replaceChildren(title); return; }
  const start = `${id} · ${column}`;
  const short = (asset) => (asset ? `${asset.split(/[/.]/).filter(Boolean).pop()}.` : "");
  const nodes = new Map([[start, { id: start, label: `${short(id)}${column}`, column, asset: id, center: 1 }]]);
  const edges = new Map();
  for (const item of page.items.filter((i) => i.visible)) {
    let prev = start;
    for (const hop of item.route) {
      const key = hop.assetId === null ? `hidden:${item.distance}:${prev}` : `${hop.assetId} · ${hop.column}`;
      if (!nodes.has(key)) nodes.set(key, { id: key, label: hop.column ? `${short(hop.assetId)}${hop.column}` : "hidden", column: hop.column, asset: hop.assetId || "", center: 0 });
      const [source, target] = kind === "impact" ? [prev, key] : [key, prev];
      edges.set(`${source}->${target}`, { id: `${source}->${target}`, source, target, label: hop.transformations.map((t) => t.split("/").pop()).join(", ") });
      prev = key;
    }
  }
  const graphBox = el("div", { id: "column-graph", class: "graph column-graph" });
  box.replaceChildren(title, graphBox, table(["Hops", "Asset", "Column", "Transformations on the route"], page.items.map((i) => i.visible
    ? [i.distance, el("a", { href: assetHref(i.assetId), class: "asset-link" }, i.assetId), el("code", {}, i.column),
       i.route.map((h) => h.transformations.join(", ") || "not given").join(" → ")]
    : [i.distance, el("span", { class: "muted" }, "hidden"), "", ""]), "column-lineage-table"));
  window.columnGraph = { nodes: [...nodes.values()], edges: [...edges.values()] };
  if (window.columnCy) window.columnCy.destroy();
  window.columnCy = cytoscape({
    container: graphBox,
    elements: [...[...nodes.values()].map((n) => ({ data: { ...n, title: n.asset, w: Math.min(220, 24 + 7 * n.label.length) } })),
               ...[...edges.values()].map((e) => ({ data: e }))],
    style: [
      { selector: "node", style: { shape: "round-rectangle", label: "data(label)", width: "data(w)", height: 26, "font-size": 11,
        "text-valign": "center", "background-color": "#fef9c3", "border-width": 1, "border-color": "#ca8a04" } },
      { selector: "node[center = 1]", style: { "background-color": "#4f46e5", color: "#fff", "border-color": "#312e81" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#cbd5e1", "target-arrow-color": "#cbd5e1", "target-arrow-shape": "triangle",
        "curve-style": "bezier", label: "data(label)", "font-size": 9, color: "#64748b", "text-background-color": "#fff", "text-background-opacity": 0.9 } },
    ],
    layout: { name: "dagre", rankDir: "LR", nodeSep: 20, rankSep: 90, fit: true, padding: 16 },
    maxZoom: 1.4,
  });
  window.columnCy.on("mouseover", "node", (ev) => { graphBox.title = ev.target.data("title") || ""; });
  graphBox.dataset.ready = "true";
}

async function sideList(kind, id, box, tableId) {
  const page = await api(`${assetPath(id)}/${kind}`, { size: 100 });
  box.replaceChildren(page.total === 0 ? el("p", { class: "muted" }, "None.") : table(["Asset", "Hops", "Type"],
    page.results.map((r) => [
      r.redacted ? el("span", { class: "muted" }, "hidden") : el("a", { href: assetHref(r.id), class: "asset-link", "data-id": r.id }, r.id),
      r.distance, r.redacted ? "" : typeLabel(r.type)]), tableId));
  if (page.total > page.results.length) box.append(el("p", { class: "muted" }, `… and ${page.total - page.results.length} more`));
}

async function renderUsages(box, id, pageNo) {
  const page = await api(`${assetPath(id)}/usages`, { page: pageNo, size: 20 });
  box.replaceChildren(
    page.total === 0 ? el("p", { class: "muted" }, "No execution has read or written it.") : table(
      ["When", "Relation", "Flow", "Task", "Value", "Execution"],
      page.results.map((u) => [when(u.date), el("span", { class: `badge ${u.relation.toLowerCase()}` }, u.relation),
        `${u.namespace}.${u.flowId}`, u.taskId, u.value || "", el("code", {}, u.executionId)]), "usages-table"));
  if (page.total > 20) {
    const pages = Math.ceil(page.total / 20);
    box.append(el("div", { class: "pager" },
      el("button", { disabled: pageNo <= 1, onclick: () => renderUsages(box, id, pageNo - 1) }, "‹"),
      ` page ${pageNo} of ${pages} `,
      el("button", { disabled: pageNo >= pages, onclick: () => renderUsages(box, id, pageNo + 1) }, "›")));
  }
}

const GRAPH_LIMIT = 400;
// siblings drawn one by one; the rest of them are counted in one node per namespace and type
const GRAPH_SIBLINGS = 8;
const GROUP_PAGE = 20;
// below this zoom a label is not legible: the drawing is panned rather than shrunk further
const MIN_ZOOM = 0.8;

const shortType = (t) => (t || "").split(".").pop();

function groupLabel(n) {
  return n.redacted ? `+${fmt(n.count)} hidden` : `+${fmt(n.count)} in ${n.namespace || "no namespace"} (${shortType(n.type)})`;
}

function nodeData(n) {
  if (n.kind === "group") {
    const label = groupLabel(n);
    return { id: n.key, label, w: Math.min(300, 28 + 7 * label.length), kind: "group", side: n.side, distance: n.distance, count: n.count, parentId: n.parentId,
             namespace: n.namespace || "", type: n.type || "", redacted: n.redacted ? 1 : 0, page: 0,
             title: n.redacted ? "assets in namespaces you cannot see" : "click to draw them, 20 at a time" };
  }
  const label = n.redacted ? "hidden" : n.kind === "asset" ? n.id : `${n.taskId}${n.value ? ` [${n.value}]` : ""}`;
  return { id: n.key, label, w: Math.min(260, 24 + 7 * label.length), kind: n.kind, side: n.side || "none", distance: n.distance, assetId: n.id, redacted: n.redacted ? 1 : 0,
           deleted: n.deleted ? 1 : 0, title: n.kind === "execution" ? `${n.flowId} · ${n.executionId}` : n.type };
}

function edgeData(e) {
  const run = e.taskId ? `${e.taskId}${e.value ? ` [${e.value}]` : ""}` : "";
  return { id: `${e.source}->${e.target}`, source: e.source, target: e.target, type: e.type, label: run,
           title: e.flowId ? `${e.namespace}.${e.flowId} · ${e.taskId} · ${e.executionId}` : "" };
}

function drawGraph(box, graph) {
  const elements = [...graph.nodes.map((n) => ({ data: nodeData(n) })), ...graph.edges.map((e) => ({ data: edgeData(e) }))];
  window.lineageGraph = graph;
  if (window.cy) window.cy.destroy();
  const cy = cytoscape({
    container: box,
    elements,
    minZoom: MIN_ZOOM,
    maxZoom: 2,
    style: [
      { selector: "node", style: { "font-family": "system-ui, sans-serif", "font-size": 11, color: "#1f2937", "text-valign": "center", "text-halign": "center" } },
      { selector: 'node[kind = "asset"]', style: { shape: "round-rectangle", label: "data(label)", width: "data(w)", height: 30,
        "background-color": "#e0e7ff", "border-width": 1, "border-color": "#6366f1", "text-max-width": 220, "text-wrap": "ellipsis" } },
      { selector: 'node[side = "center"]', style: { "background-color": "#4f46e5", color: "#fff", "border-color": "#312e81", "font-weight": 600 } },
      { selector: 'node[side = "upstream"]', style: { "background-color": "#ecfdf5", "border-color": "#10b981" } },
      { selector: 'node[side = "downstream"]', style: { "background-color": "#fff7ed", "border-color": "#f97316" } },
      { selector: 'node[kind = "group"]', style: { shape: "round-rectangle", label: "data(label)", width: "data(w)", height: 30,
        "background-color": "#fff", "border-width": 1.5, "border-style": "dashed", "border-color": "#64748b", color: "#334155", "font-weight": 600 } },
      { selector: "node[deleted = 1]", style: { "border-style": "dashed", opacity: 0.7 } },
      { selector: "node[redacted = 1]", style: { "background-color": "#f3f4f6", "border-color": "#9ca3af", color: "#6b7280" } },
      { selector: 'node[kind = "execution"]', style: { shape: "ellipse", width: 14, height: 14, "background-color": "#94a3b8", label: "data(label)",
        "font-size": 9, "text-valign": "bottom", "text-margin-y": 3, color: "#64748b",
        // edges pass under a task run's label: a backing keeps it readable where dagre places them close
        "text-background-color": "#f8fafc", "text-background-opacity": 0.9, "text-background-padding": 2 } },
      { selector: "edge", style: { width: 1.5, "line-color": "#cbd5e1", "target-arrow-color": "#cbd5e1", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      { selector: 'edge[type = "FEEDS"]', style: { label: "data(label)", "font-size": 9, color: "#64748b", "text-rotation": "autorotate",
        "text-background-color": "#fcfcfd", "text-background-opacity": 0.9 } },
    ],
    layout: layoutOptions(),
  });
  keepLegible(cy, `asset:${graph.asset}`);
  // Cytoscape keeps where its canvas is on the page; lines drawn above it later (the summary, the checks) move it,
  // and a click would then land on the node that was there. Ask it to look again before it reads a press.
  for (const type of ["mousedown", "touchstart"]) box.addEventListener(type, () => cy.resize(), { capture: true });
  cy.on("tap", 'node[kind = "asset"][redacted = 0]', (ev) => {
    const assetId = ev.target.data("assetId");
    if (assetId) location.hash = assetHref(assetId);
  });
  cy.on("tap", 'node[kind = "group"][redacted = 0]', (ev) => expandGroup(cy, ev.target));
  cy.on("mouseover", "node, edge", (ev) => { box.title = ev.target.data("title") || ""; });
  window.cy = cy;
  // the zoom buttons sit under the drawing, never over a node of it
  box.parentElement.querySelector(".zoom")?.remove();
  box.after(el("div", { class: "zoom" },
    el("button", { type: "button", title: "zoom in", onclick: () => cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: center(box) }) }, "+"),
    el("button", { type: "button", title: "zoom out", onclick: () => cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: center(box) }) }, "−"),
    el("button", { type: "button", title: "fit what is drawn", onclick: () => cy.fit(undefined, 20) }, "fit")));
  box.dataset.ready = "true";
}

// A drawing larger than the box is not shrunk below legible text: it opens on the asset asked about and what lies
// one hop from it (its groups included), at a legible zoom, the rest a drag away.
function keepLegible(cy, centerKey) {
  if (cy.zoom() > MIN_ZOOM + 1e-6) return;
  const near = cy.nodes().filter((n) => n.id() === centerKey || n.data("distance") === 1);
  cy.fit(near.nonempty() ? near : cy.getElementById(centerKey), 20);
}

const center = (box) => ({ x: box.clientWidth / 2, y: box.clientHeight / 2 });
const layoutOptions = () => ({ name: "dagre", rankDir: "LR", nodeSep: 26, rankSep: 70, fit: true, padding: 20 });

// Draw the next page of a group's siblings: the impact (upstream) answer of the asset it hangs from, one hop,
// the group's namespace and type; the group keeps counting those still not drawn.
async function expandGroup(cy, group) {
  if (group.data("busy")) return;
  group.data("busy", true);
  const d = group.data();
  const kind = d.side === "upstream" ? "upstream" : "impact";
  const parent = `asset:${d.parentId}`;
  let added = 0;
  let pageNo = d.page;
  let done = false;
  // pages repeat the siblings already drawn: read on until a page's worth are new
  while (added < GROUP_PAGE && !done) {
    pageNo += 1;
    const page = await api(`${assetPath(d.parentId)}/${kind}`, { depth: 1, namespace: d.namespace, type: d.type, size: GROUP_PAGE, page: pageNo });
    for (const item of page.results) {
      if (added >= GROUP_PAGE) { pageNo -= 1; break; }  // the rest of this page comes with the next click
      if (item.redacted || item.namespace !== d.namespace) continue;
      const key = `asset:${item.id}`;
      if (cy.getElementById(key).empty()) {
        cy.add({ data: nodeData({ key, kind: "asset", id: item.id, type: item.type, namespace: item.namespace, deleted: item.deleted, side: d.side }) });
        added += 1;
      }
      const [source, target] = d.side === "upstream" ? [key, parent] : [parent, key];
      const hop = (item.via || [])[0] || {};
      if (cy.getElementById(`${source}->${target}`).empty()) cy.add({ data: edgeData({ source, target, type: "FEEDS", ...hop }) });
    }
    done = added < GROUP_PAGE && page.page * page.size >= page.total;
  }
  const left = d.count - added;
  if (done || left <= 0) group.remove();
  else group.data({ count: left, page: pageNo, busy: false, label: groupLabel({ count: left, namespace: d.namespace, type: d.type }) });
  cy.layout({ ...layoutOptions(), fit: false }).run();
  if (group.inside()) cy.center(group);
  else cy.center(cy.getElementById(parent));
  cy.container().dataset.expanded = String(Number(cy.container().dataset.expanded || 0) + 1);
}

// -- helpers -------------------------------------------------------------------------------------------
function table(headers, rows, id) {
  return el("table", { id },
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))));
}

function select(name, options, value, onChange) {
  const s = el("select", { name, id: `select-${name}` }, options.map((o) => el("option", { value: o, selected: o === value }, o)));
  s.addEventListener("change", () => onChange(s.value));
  return s;
}

function typeLabel(type) {
  const t = (assetTypes || []).find((x) => x.type === type || (x.aliases || []).includes(type));
  return el("span", { class: "badge", title: type }, t ? t.name : type);
}

function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function errorBox(err) {
  const status = err.status ? `${err.status} ` : "";
  return el("div", { class: "error", role: "alert" }, `${status}${err.message}`);
}

// -- routing -------------------------------------------------------------------------------------------
async function route() {
  const main = $("#main");
  const [path, q] = location.hash.replace(/^#/, "").split("?");
  const query = new URLSearchParams(q || "");
  if (!assetTypes) {
    try { assetTypes = await api("/asset-types"); } catch { assetTypes = []; }
  }
  const m = (path || "").match(/^\/asset\/(.+)$/);
  if (m) return renderAsset(main, decodeURIComponent(m[1]), query);
  return renderSearch(main, query);
}

function init() {
  const tenant = $("#tenant");
  tenant.value = state.tenant;
  tenant.addEventListener("change", () => { state.tenant = tenant.value.trim(); assetTypes = null; route(); });
  $("#forget-token").addEventListener("click", () => { state.token = ""; route(); });
  window.addEventListener("hashchange", route);
  route();
}

init();
