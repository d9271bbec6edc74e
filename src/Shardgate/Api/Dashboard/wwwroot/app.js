// Shardgate's dashboard: one page, no build step. Every figure comes from /admin/v1, read with the session cookie
// (HttpOnly: this script never sees it); every action sends the session's CSRF token in a header.
"use strict";
(() => {
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");
  const notice = document.getElementById("notice");
  const REFRESH_MS = 5000;
  let csrf = null;
  let timer = null;
  let charts = [];
  let requestFilters = {};

  class SignedOut extends Error {}

  // ---- small helpers -------------------------------------------------------------------------------------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "on") for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const fmt = n => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));
  const ms = v => (v === null || v === undefined ? "–" : `${Math.round(v)} ms`);
  const when = iso => (iso ? new Date(iso).toLocaleString() : "–");
  const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : "–");
  const badge = (text, kind) => el("span", { class: `badge ${kind || text}`, text });
  const statusBadge = status => badge(String(status), status < 300 ? "s2xx" : status < 500 ? "s4xx" : "s5xx");

  function table(headers, rows, numeric = []) {
    return el("table", {},
      el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { class: numeric.includes(i) ? "num" : null, text: h })))),
      el("tbody", {}, rows.length
        ? rows.map(cells => el("tr", {}, cells.map((c, i) => el("td", { class: numeric.includes(i) ? "num" : null }, c))))
        : el("tr", {}, el("td", { class: "muted", colspan: headers.length, text: "Nothing yet." }))));
  }

  function card(label, value) {
    return el("div", { class: "card" }, el("div", { class: "label", text: label }), el("div", { class: "value", text: value }));
  }

  function say(message, ok = false) {
    notice.textContent = message;
    notice.className = ok ? "ok" : "";
    notice.hidden = !message;
  }

  function fail(error) {
    if (!(error instanceof SignedOut)) say(error.message || String(error));
  }

  async function api(path, { method = "GET", body } = {}) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = csrf || "";
    const response = await fetch(path.startsWith("/ui/") ? path : `/admin/v1${path}`, {
      method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (response.status === 401 && !path.startsWith("/ui/")) {
      csrf = null;
      showLogin("Your session has ended: sign in again.");
      throw new SignedOut();
    }
    if (!response.ok) throw new Error(data?.error?.message || `${response.status} ${response.statusText}`);
    return data;
  }

  function every(refresh) {
    timer = setInterval(() => refresh().catch(fail), REFRESH_MS);
  }

  // Each chart gets its own box, sized once every box is in place, so side-by-side charts never overlap.
  function charted(container, specs) {
    const boxes = specs.map(() => el("div", { class: "chart" }));
    container.replaceChildren(...boxes);
    return specs.map(({ title, labels, colors, data }, i) => {
      const plot = new uPlot({
        title,
        width: Math.max(320, boxes[i].clientWidth - 16),
        height: 220,
        series: [{}, ...labels.map((label, j) => ({ label, stroke: colors[j], width: 2 }))],
        axes: [{}, { size: 60 }],
      }, data, boxes[i]);
      charts.push(plot);
      return plot;
    });
  }

  // ---- sign-in -----------------------------------------------------------------------------------------------

  function showLogin(message) {
    stop();
    nav.hidden = true;
    const key = el("input", { type: "password", id: "admin-key", name: "admin-key", autocomplete: "current-password", required: true });
    const error = el("p", { class: "muted", id: "login-error", text: message || "" });
    const form = el("form", { class: "login", id: "login" },
      el("h1", { text: "Sign in" }),
      el("p", { class: "muted", text: "With the gateway's admin key (SHARDGATE_ADMIN_KEY). It is exchanged for a session cookie and not kept by the page." }),
      el("label", { for: "admin-key", text: "Admin key" }), key,
      el("button", { type: "submit", class: "primary", text: "Sign in" }),
      error);
    form.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        const session = await api("/ui/login", { method: "POST", body: { admin_key: key.value } });
        csrf = session.csrf;
        key.value = "";
        say("");
        route();
      } catch (e) {
        error.textContent = e.message;
      }
    });
    main.replaceChildren(form);
    key.focus();
  }

  document.getElementById("sign-out").addEventListener("click", async () => {
    try { await api("/ui/logout", { method: "POST" }); } catch (e) { fail(e); }
    csrf = null;
    showLogin("Signed out.");
  });

  // ---- pages -------------------------------------------------------------------------------------------------

  async function overview() {
    const windowSelect = el("select", { id: "window" }, el("option", { value: "1h", text: "Last hour" }), el("option", { value: "24h", text: "Last day" }));
    const cards = el("div", { class: "cards", id: "totals" });
    const plots = el("div", { class: "charts" });
    const perModel = el("div", { id: "per-model" });
    const perAccount = el("div", { id: "per-account" });
    main.replaceChildren(
      el("h1", { text: "Overview" }),
      el("form", { class: "inline" }, el("label", {}, "Window", windowSelect)),
      cards, plots, el("h2", { text: "Per model" }), perModel, el("h2", { text: "Spend per account and model" }), perAccount);
    let traffic = null;
    let volume = null;

    async function refresh() {
      const [stats, spend] = await Promise.all([api(`/stats?window=${windowSelect.value}`), api(`/spend?by=account,model&since=${windowSelect.value}`)]);
      const t = stats.totals;
      cards.replaceChildren(
        card("Requests", fmt(t.requests)), card("Errors", `${fmt(t.errors)} (${pct(t.errors, t.requests)})`),
        card("Input tokens", fmt(t.input_tokens)), card("Output tokens", fmt(t.output_tokens)),
        card("Spend (ngonka)", fmt(t.cost)), card("First token p50 / p95", `${ms(t.first_token_p50_ms)} / ${ms(t.first_token_p95_ms)}`));
      const xs = stats.series.map(b => Date.parse(b.start) / 1000);
      const trafficData = [xs, stats.series.map(b => b.requests), stats.series.map(b => b.errors)];
      const volumeData = [xs, stats.series.map(b => b.output_tokens), stats.series.map(b => b.cost)];
      if (traffic) {
        traffic.setData(trafficData);
        volume.setData(volumeData);
      } else {
        [traffic, volume] = charted(plots, [
          { title: "Requests and errors", labels: ["requests", "errors"], colors: ["#2d5be3", "#c01048"], data: trafficData },
          { title: "Output tokens and spend (ngonka)", labels: ["output tokens", "spend"], colors: ["#12805c", "#b54708"], data: volumeData },
        ]);
      }
      perModel.replaceChildren(table(
        ["Model", "Requests", "Errors", "Input tokens", "Output tokens", "Spend (ngonka)"],
        stats.models.map(m => [m.id, fmt(m.figures.requests), fmt(m.figures.errors), fmt(m.figures.input_tokens), fmt(m.figures.output_tokens), fmt(m.figures.cost)]),
        [1, 2, 3, 4, 5]));
      perAccount.replaceChildren(table(
        ["Account", "Model", "Requests", "Input tokens", "Output tokens", "Spend (ngonka)"],
        spend.data.map(s => [el("a", { href: `#/accounts/${s.account_id}`, text: String(s.account_id) }), s.model, fmt(s.requests), fmt(s.input_tokens), fmt(s.output_tokens), fmt(s.cost)]),
        [2, 3, 4, 5]));
      if (stats.truncated) say(`The window holds more rows than one report reads; the oldest are left out (${fmt(stats.rows)} read).`);
    }

    windowSelect.addEventListener("change", () => {
      charts.forEach(c => c.destroy());
      charts = [];
      plots.replaceChildren();
      traffic = volume = null;
      refresh().catch(fail);
    });
    await refresh();
    every(refresh);
  }

  async function models() {
    const box = el("div", { id: "models" });
    main.replaceChildren(el("h1", { text: "Models" }), el("p", { class: "muted", text: "Latency, speed and errors over the last hour, from the request log." }), box);

    async function refresh() {
      const [list, stats] = await Promise.all([api("/models"), api("/stats?window=1h")]);
      const figures = Object.fromEntries(stats.models.map(m => [m.id, m.figures]));
      box.replaceChildren(table(
        ["Model", "Hosts", "Context", "Price in / out", "Aliases and fallbacks", "Requests", "First token p50 / p95", "Tokens/s", "Error rate", "Errors by kind", "429s"],
        list.map(m => {
          const f = figures[m.id] || {};
          const kinds = Object.entries(f.errors_by_kind || {}).map(([kind, n]) => `${kind}: ${n}`).join(", ");
          return [
            el("div", {}, el("strong", { text: m.id }), el("div", { class: "muted", text: m.family })),
            el("div", {}, badge(`${m.healthy_hosts}/${m.hosts.length} healthy`, m.healthy_hosts === m.hosts.length ? "healthy" : "cooling"), el("div", { class: "muted", text: m.hosts.join(", ") })),
            fmt(m.context_window),
            `${fmt(m.input_per_token)} / ${fmt(m.output_per_token)}`,
            [...m.aliases, ...m.fallbacks.map(fb => `${fb.alias} → ${fb.chain.join(" → ")}`)].join("; ") || "–",
            fmt(f.requests || 0),
            `${ms(f.first_token_p50_ms)} / ${ms(f.first_token_p95_ms)}`,
            f.output_tokens_per_second ?? "–",
            pct(f.errors || 0, f.requests || 0),
            kinds || "–",
            fmt(f.saturated || 0),
          ];
        }),
        [2, 5, 7, 8, 10]));
    }

    await refresh();
    every(refresh);
  }

  async function hosts() {
    const phase = el("p", { id: "network-phase" });
    const box = el("div", { id: "hosts" });
    main.replaceChildren(el("h1", { text: "Hosts" }), phase, box);

    async function act(path, done) {
      try {
        await api(path, { method: "POST" });
        say(done, true);
        await refresh();
      } catch (e) { fail(e); }
    }

    async function refresh() {
      const [list, network, stats] = await Promise.all([api("/hosts"), api("/network"), api("/stats?window=1h")]);
      phase.replaceChildren("Network phase: ", el("strong", { text: network.phase }),
        network.poc_active ? el("span", { class: "badge cooling", text: `PoC: ${network.preserved_nodes} preserved nodes serve` }) : "");
      const byNode = Object.fromEntries(stats.nodes.map(n => [n.id, n.figures]));
      box.replaceChildren(table(
        ["Node", "Models", "State", "Health", "In flight", "First token p50 / p95", "Requests (1h)", "Recent failures", "Actions"],
        list.map(h => {
          const f = byNode[h.id] || {};
          const id = encodeURIComponent(h.id);
          const failures = h.recent_failures.length
            ? el("details", {}, el("summary", { text: `${h.recent_failures.length} recent` }),
              el("ul", {}, h.recent_failures.map(x => el("li", { text: `${when(x.at)} ${x.kind}: ${x.reason}` }))))
            : el("span", { class: "muted", text: "none" });
          return [
            el("div", {}, el("strong", { text: h.id }), el("div", { class: "muted", text: h.base_url })),
            h.models.join(", "),
            badge(h.enabled ? "enabled" : "disabled"),
            el("div", {}, badge(h.health.status), h.suspect ? badge("suspect", "quarantined") : "", h.health.reason ? el("div", { class: "muted", text: h.health.reason }) : "",
              h.health.until ? el("div", { class: "muted", text: `until ${when(h.health.until)}` }) : ""),
            `${h.in_flight} / ${h.max_concurrent}`,
            `${ms(f.first_token_p50_ms)} / ${ms(f.first_token_p95_ms)}`,
            fmt(f.requests || 0),
            failures,
            el("div", { class: "row-actions" },
              h.enabled
                ? el("button", { type: "button", "data-action": "disable", "data-node": h.id, text: "Disable", on: { click: () => act(`/nodes/${id}/disable`, `${h.id} disabled`) } })
                : el("button", { type: "button", "data-action": "enable", "data-node": h.id, text: "Enable", on: { click: () => act(`/nodes/${id}/enable`, `${h.id} enabled`) } }),
              h.health.status !== "healthy"
                ? el("button", { type: "button", "data-action": "clear", "data-node": h.id, text: "Clear quarantine", on: { click: () => act(`/hosts/${id}/clear`, `${h.id} cleared`) } })
                : ""),
          ];
        }),
        [4, 6]));
    }

    await refresh();
    every(refresh);
  }

  // The host operators' view: what the chain says of each participant, and what it did through this broker.
  async function participants() {
    const box = el("div", { id: "participants" });
    main.replaceChildren(el("h1", { text: "Participants" }),
      el("p", { class: "muted", text: "Weight and collateral from the chain; requests, tokens, ngonka earned, missed and failed through this broker, by epoch." }), box);

    async function refresh() {
      const list = await api("/participants");
      const rows = [];
      for (const p of list) {
        const epochs = p.epochs.length ? p.epochs : [null];
        for (const e of epochs) {
          rows.push([
            el("div", {}, el("strong", { text: p.address }), el("div", { class: "muted", text: p.models.map(m => `${m.model_id} (${(m.share * 100).toFixed(1)} %)`).join(", ") })),
            badge(p.state, p.state === "excluded" ? "quarantined" : p.state === "pinned" ? "cooling" : "healthy"),
            e ? fmt(e.epoch) : fmt(p.epoch ?? 0),
            p.poc_weight == null ? "—" : fmt(p.poc_weight),
            p.active_weight == null ? "—" : fmt(p.active_weight),
            p.collateral == null ? "—" : fmt(p.collateral),
            p.coins_owed == null ? "—" : fmt(p.coins_owed),
            e ? fmt(e.requests) : "0",
            e ? `${fmt(e.input_tokens)} / ${fmt(e.output_tokens)}` : "0 / 0",
            e ? fmt(e.earned) : "0",
            e ? fmt(e.missed) : "0",
            e ? fmt(e.failed) : "0",
          ]);
        }
      }

      box.replaceChildren(list.length ? table(
        ["Participant", "State", "Epoch", "PoC weight", "Active weight", "Collateral (ngonka)", "Coins owed", "Requests", "Tokens in / out", "Earned (ngonka)", "Missed", "Failed"],
        rows, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) : el("p", { class: "muted", text: "No participant serves through this broker yet (hosts come from the chain with the Gonka network source)." }));
    }

    await refresh();
    every(refresh);
  }

  function limitInputs(limits = {}) {
    const input = (name, label, value) => el("label", {}, label, el("input", { type: "number", min: "1", name, value: value ?? "", placeholder: "unlimited" }));
    return [
      input("requests_per_minute", "RPM", limits.requests_per_minute),
      input("tokens_per_minute", "TPM", limits.tokens_per_minute),
      input("max_concurrent", "Concurrent", limits.max_concurrent),
      el("label", {}, "Models", el("input", { name: "models", value: (limits.models || []).join(", "), placeholder: "any" })),
    ];
  }

  function readLimits(form) {
    const limits = {};
    for (const name of ["requests_per_minute", "tokens_per_minute", "max_concurrent"]) {
      const value = form.elements[name].value.trim();
      if (value) limits[name] = Number(value);
    }
    const models = form.elements.models.value.split(",").map(m => m.trim()).filter(Boolean);
    if (models.length) limits.models = models;
    return limits;
  }

  async function accounts(accountId) {
    if (accountId) return account(accountId);
    const name = el("input", { name: "name", id: "account-name", required: true, placeholder: "acme" });
    const create = el("form", { class: "inline", id: "create-account" }, el("label", {}, "New account", name), el("button", { type: "submit", class: "primary", text: "Create account" }));
    const box = el("div", { id: "accounts" });
    main.replaceChildren(el("h1", { text: "Accounts and keys" }), create, box);
    create.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        const created = await api("/accounts", { method: "POST", body: { name: name.value } });
        location.hash = `#/accounts/${created.id}`;
      } catch (e) { fail(e); }
    });
    const list = await api("/accounts?limit=500");
    box.replaceChildren(table(
      ["Id", "Name", "Balance (ngonka)", "Reserved", "Available", "Created", ""],
      list.map(a => [String(a.id), a.name, fmt(a.balance), fmt(a.reserved), fmt(a.available), when(a.created_at),
        el("a", { href: `#/accounts/${a.id}`, "data-account": a.id, text: "Open" })]),
      [0, 2, 3, 4]));
  }

  async function account(id) {
    const [info, keys, usage] = await Promise.all([api(`/accounts/${id}`), api(`/accounts/${id}/keys`), api(`/usage?account_id=${id}`)]);
    const keyUsage = await Promise.all(keys.map(k => api(`/usage?key_id=${k.id}`)));
    const secret = el("div", { id: "new-key" });
    const amount = el("input", { type: "number", min: "1", name: "amount", id: "credit-amount", required: true, placeholder: "ngonka" });
    const credit = el("form", { class: "inline", id: "credit" }, el("label", {}, "Credit (ngonka; 1 GNK = 1,000,000,000)", amount), el("button", { type: "submit", class: "primary", text: "Credit" }));
    const newKey = el("form", { class: "inline", id: "create-key" }, limitInputs(), el("button", { type: "submit", class: "primary", text: "Create key" }));
    credit.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        const after = await api(`/accounts/${id}/credit`, { method: "POST", body: { amount: Number(amount.value) } });
        say(`Credited ${fmt(Number(amount.value))} ngonka; balance ${fmt(after.balance)}.`, true);
        await account(id);
      } catch (e) { fail(e); }
    });
    newKey.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        const created = await api(`/accounts/${id}/keys`, { method: "POST", body: { limits: readLimits(newKey) } });
        await account(id);
        showSecret(created.key);
      } catch (e) { fail(e); }
    });

    const spend = {};
    for (const day of usage.data) {
      const s = (spend[day.model] ||= { requests: 0, input: 0, output: 0, cost: 0 });
      s.requests += day.requests; s.input += day.input_tokens; s.output += day.output_tokens; s.cost += day.cost;
    }

    main.replaceChildren(
      el("p", {}, el("a", { href: "#/accounts", text: "← All accounts" })),
      el("h1", { text: `${info.name} (account ${info.id})` }),
      el("div", { class: "cards", id: "balance" }, card("Balance (ngonka)", fmt(info.balance)), card("Reserved", fmt(info.reserved)), card("Available", fmt(info.available))),
      credit,
      el("h2", { text: "Keys" }), newKey, secret,
      table(["Key", "Prefix", "Created", "State", "Limits", "Requests", "Spend (ngonka)", ""],
        keys.map((k, i) => {
          const totals = keyUsage[i].data.reduce((a, d) => ({ requests: a.requests + d.requests, cost: a.cost + d.cost }), { requests: 0, cost: 0 });
          const limits = el("form", { class: "inline", "data-key-limits": k.id }, limitInputs(k.limits), el("button", { type: "submit", text: "Set limits" }));
          limits.addEventListener("submit", async event => {
            event.preventDefault();
            try {
              await api(`/accounts/${id}/keys/${k.id}/limits`, { method: "PUT", body: readLimits(limits) });
              say(`Limits of key ${k.id} set.`, true);
            } catch (e) { fail(e); }
          });
          return [String(k.id), k.prefix, when(k.created_at), k.revoked_at ? badge("revoked", "disabled") : badge("live", "healthy"),
            k.revoked_at ? "–" : limits, fmt(totals.requests), fmt(totals.cost),
            k.revoked_at ? "" : el("button", { type: "button", "data-revoke": k.id, text: "Revoke", on: { click: async () => {
              try {
                await api(`/accounts/${id}/keys/${k.id}/revoke`, { method: "POST" });
                say(`Key ${k.id} revoked.`, true);
                await account(id);
              } catch (e) { fail(e); }
            } } })];
        }),
        [0, 5, 6]),
      el("h2", { text: "Spend per model" }),
      table(["Model", "Requests", "Input tokens", "Output tokens", "Spend (ngonka)"],
        Object.entries(spend).map(([model, s]) => [model, fmt(s.requests), fmt(s.input), fmt(s.output), fmt(s.cost)]), [1, 2, 3, 4]));

    function showSecret(key) {
      const code = el("code", { id: "new-key-secret", text: key });
      const copy = el("button", { type: "button", id: "copy-key", text: "Copy" });
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(key);
          copy.textContent = "Copied";
        } catch {
          // Without clipboard access (an insecure origin, a denied permission) the text is selected for Ctrl-C instead.
          getSelection().selectAllChildren(code);
          copy.textContent = "Selected: press Ctrl-C";
        }
      });
      document.getElementById("new-key").replaceChildren(el("div", { class: "secret" },
        el("strong", { text: "New key, shown once:" }), code, copy));
    }
  }

  async function requests(requestId) {
    if (requestId) return request(requestId);
    const field = (name, label, type = "text") => el("label", {}, label, el("input", { name, type, value: requestFilters[name] || "" }));
    const filters = el("form", { class: "inline", id: "request-filters" },
      field("key_id", "Key id", "number"), field("account_id", "Account id", "number"), field("model", "Model"),
      field("status", "Status", "number"), field("from", "From", "datetime-local"), field("to", "To", "datetime-local"),
      el("button", { type: "submit", class: "primary", text: "Filter" }));
    const box = el("div", { id: "requests" });
    const more = el("button", { type: "button", id: "older", text: "Older", hidden: true });
    main.replaceChildren(el("h1", { text: "Requests" }), filters, box, more);
    let rows = [];
    let next = null;

    function query(before) {
      const params = new URLSearchParams({ limit: "50" });
      for (const [name, value] of Object.entries(requestFilters)) {
        if (value) params.set(name, name === "from" || name === "to" ? new Date(value).toISOString() : value);
      }
      if (before) params.set("before", before);
      return params.toString();
    }

    async function load(before) {
      const page = await api(`/requests?${query(before)}`);
      rows = before ? rows.concat(page.data) : page.data;
      next = page.next;
      more.hidden = !next;
      box.replaceChildren(table(
        ["Started", "Request", "Status", "Outcome", "Model", "Node", "Key", "Tokens in / out", "Cost", "First token", "Duration"],
        rows.map(r => [when(r.started_at), el("a", { href: `#/requests/${encodeURIComponent(r.request_id)}`, text: r.request_id }), statusBadge(r.status), r.outcome,
          r.model || "–", r.node_id || "–", r.key_id ?? "–", `${fmt(r.prompt_tokens)} / ${fmt(r.completion_tokens)}`, fmt(r.cost), ms(r.time_to_first_token_ms), ms(r.duration_ms)]),
        [8, 9, 10]));
    }

    filters.addEventListener("submit", event => {
      event.preventDefault();
      requestFilters = Object.fromEntries(new FormData(filters).entries());
      load().catch(fail);
    });
    more.addEventListener("click", () => load(next).catch(fail));
    await load();
  }

  async function request(id) {
    const r = await api(`/requests/${encodeURIComponent(id)}`);
    const rows = [
      ["Request", r.request_id], ["Endpoint", r.endpoint || "–"], ["Started", when(r.started_at)], ["Status", statusBadge(r.status)], ["Outcome", r.outcome],
      ["Model", r.model || "–"], ["Host", r.node_id || "–"], ["Attempts", fmt(r.attempts)], ["Hedge", r.hedge ? `sent; ${r.hedge === "hedge" ? "the hedge" : "the first attempt"} answered` : "none"],
      ["Stream", r.stream ? "yes" : "no"], ["Key / account", `${r.key_id ?? "–"} / ${r.account_id ?? "–"}`],
      ["Input tokens", fmt(r.prompt_tokens)], ["Output tokens", fmt(r.completion_tokens)],
      ["Reserved (ngonka)", fmt(r.reserved)], ["Cost (ngonka)", fmt(r.cost)], ["Shortfall", fmt(r.shortfall ?? 0)],
      ["First token", ms(r.time_to_first_token_ms)], ["Duration", ms(r.duration_ms)], ["Error", r.error || "–"],
    ];
    main.replaceChildren(
      el("p", {}, el("a", { href: "#/requests", text: "← All requests" })),
      el("h1", { text: "Request" }),
      el("dl", { class: "detail", id: "request-detail" }, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)])));
  }

  // ---- routing -----------------------------------------------------------------------------------------------

  const pages = { overview, models, hosts, participants, accounts, requests };

  function stop() {
    clearInterval(timer);
    timer = null;
    charts.forEach(c => c.destroy());
    charts = [];
  }

  async function route() {
    stop();
    if (!csrf) return showLogin();
    nav.hidden = false;
    const [page, arg] = location.hash.replace(/^#\/?/, "").split("/");
    const name = pages[page] ? page : "overview";
    nav.querySelectorAll("a").forEach(a => a.classList.toggle("active", a.dataset.page === name));
    try {
      await pages[name](arg ? decodeURIComponent(arg) : undefined);
    } catch (e) { fail(e); }
  }

  window.addEventListener("hashchange", () => { say(""); route(); });

  (async () => {
    try {
      const session = await api("/ui/session");
      csrf = session.signed_in ? session.csrf : null;
    } catch (e) { fail(e); }
    route();
  })();
})();
