// patientqa chat widget: one <script> tag and a container.
//   <div id="patientqa-chat"></div>
//   <script src="https://qa.hospital.example/widget/patientqa-widget.js"
//           data-endpoint="https://qa.hospital.example" data-container="patientqa-chat"></script>
// Talks to the server's HTTP/JSON API (POST /v1/ask, GET /v1/suggest, GET /v1/articles/{id}).
// Nothing the server sends is parsed as HTML: every piece of its text becomes a text node
// (textContent, or a string child), and the only links made from its data go to http(s) URLs
// (see linkUrl); anything else is shown as plain text. One question is asked at a time: while it
// loads, the input, the Ask button and the starter questions are disabled and any other attempt
// to ask (Enter, a "did you mean" link) is ignored, so answers come in the order asked and each
// question is sent with every earlier question of the conversation as history.
(function () {
  "use strict";

  const MAX_HISTORY = 20;  // the server accepts at most 20 history turns

  // Text from JSON: a string, or "" for anything else (null, a number, an object...).
  function str(v) {
    return typeof v === "string" ? v : "";
  }

  // The href for a URL from the server's data, or null when it must not become a link: only
  // absolute http: and https: URLs qualify (no javascript:, data:, blob:, relative paths, ...).
  // The URL is returned as the browser parsed it, so the link goes exactly where was checked.
  function linkUrl(raw) {
    const s = str(raw).trim();
    if (!s) return null;
    let u;
    try { u = new URL(s); } catch (_) { return null; }  // relative: no base given on purpose
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  }

  // The widget's own in-page anchors: "#" and "#pqa-t<turn>-<n>", built from integers only.
  function isInternalHref(v) {
    return v === "#" || /^#pqa-t\d+-\d+$/.test(v);
  }

  // Builds an element. Attributes come from this file only; text from the server goes in as
  // `text` (textContent) or as string children (text nodes), never as markup. An href that is
  // neither an internal anchor nor an http(s) URL is refused, whatever the caller passed.
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = str(v);
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "href") {
        const href = isInternalHref(v) ? v : linkUrl(v);
        if (href === null) throw new Error("refusing a link to a non-http(s) URL");
        node.setAttribute("href", href);
      } else node.setAttribute(k, String(v));
    }
    for (const c of children || []) {
      if (c === null || c === undefined || c === false) continue;
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  function mount(container, endpoint) {
    const base = (endpoint || "").replace(/\/$/, "");
    const history = [];
    let turn = 0;
    let busy = false;        // a question is loading: nothing else may be asked
    let articleRequest = 0;  // only the latest "Read the full article" may fill the panel

    const log = el("div", { class: "pqa-log", role: "log", "aria-live": "polite",
                            "aria-label": "Conversation" });
    const starters = el("div", { class: "pqa-starters", "aria-label": "Suggested questions" });
    const input = el("textarea", { class: "pqa-input", rows: "2", maxlength: "4000",
                                   "aria-label": "Your question", placeholder: "Ask a question…" });
    const send = el("button", { class: "pqa-send", type: "submit", text: "Ask" });
    const status = el("div", { class: "pqa-status", role: "status", "aria-live": "polite" });
    const form = el("form", { class: "pqa-form", onsubmit: (e) => { e.preventDefault(); ask(input.value); } },
                    [input, send]);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask(input.value); }
    });
    const article = el("section", { class: "pqa-article", hidden: "", "aria-label": "Full article",
                                    tabindex: "-1" });
    const panel = el("section", { class: "pqa-panel", "aria-label": "Questions about bowel cancer that has spread" }, [
      el("h2", { class: "pqa-title", text: "Ask about bowel cancer that has spread" }),
      el("p", { class: "pqa-disclaimer",
                text: "Answers are quoted from patient-education articles, with their sources. " +
                      "They are not medical advice. In an emergency call your emergency number." }),
      starters, log, status, form, article,
    ]);
    container.replaceChildren(panel);

    fetch(base + "/v1/suggest").then((r) => r.json()).then((body) => {
      const list = Array.isArray(body && body.suggestions) ? body.suggestions : [];
      for (const s of list) {
        const text = str(s && s.text);
        if (!text) continue;
        starters.append(el("button", { class: "pqa-starter", type: "button", text,
                                       onclick: () => ask(text) }));
      }
      setBusy(busy);  // starters that arrive while a question loads start disabled
    }).catch(() => {});

    // While a question loads, nothing else can be asked.
    function setBusy(on) {
      busy = on;
      input.disabled = on;
      send.disabled = on;
      for (const b of starters.querySelectorAll("button")) b.disabled = on;
    }

    async function showArticle(id) {
      const request = ++articleRequest;
      article.hidden = false;
      article.replaceChildren(el("p", { text: "Loading the article…" }));
      try {
        const r = await fetch(base + "/v1/articles/" + encodeURIComponent(str(id)));
        const a = await r.json();
        if (request !== articleRequest) return;  // another article was asked for meanwhile
        if (!r.ok) throw new Error(str(a && a.message) || "could not load the article");
        const body = el("div", { class: "pqa-article-body" });
        for (const block of str(a.body).split(/\n\s*\n/)) {
          const text = block.trim();
          if (!text) continue;
          body.append(text.startsWith("#") ? el("h4", { text: text.replace(/^#+\s*/, "") })
                                           : el("p", { text }));
        }
        article.replaceChildren(
          el("h3", { class: "pqa-article-title", text: str(a.title) }),
          el("p", { class: "pqa-meta", text: `${str(a.publisher)} · updated ${str(a.updated)}` +
                                              (str(a.reviewed) ? ` · reviewed ${str(a.reviewed)}` : "") }),
          body,
          el("button", { type: "button", class: "pqa-close", text: "Close article",
                         onclick: () => { article.hidden = true; input.focus(); } }));
        article.focus();
      } catch (err) {
        if (request !== articleRequest) return;
        article.replaceChildren(el("p", { class: "pqa-error", role: "alert", text: String(err.message) }));
      }
    }

    // The answer, with each [n] that names a shown passage linked to its card; any other text
    // (including an [n] with no such passage) stays text.
    function answerWithLinks(text, prefix, passages) {
      const p = el("p", { class: "pqa-answer" });
      for (const part of text.split(/(\[\d+\])/)) {
        const m = part.match(/^\[(\d+)\]$/);
        const n = m ? Number(m[1]) : 0;
        if (m && n >= 1 && n <= passages) {
          p.append(el("a", { href: `#${prefix}-${n}`, class: "pqa-ref", text: part,
                             "aria-label": `Source ${n}` }));
        } else if (part) {
          p.append(document.createTextNode(part));
        }
      }
      return p;
    }

    // "Original source": a link for an http(s) URL; the server's own /v1/articles/<id> is what
    // "Read the full article" shows in the widget, so it gets no second link; anything else is
    // shown as plain text.
    function sourceLine(c) {
      const url = str(c.url).trim();
      const publisher = str(c.publisher);
      const href = linkUrl(url);
      if (href) {
        return el("a", { class: "pqa-source", href, target: "_blank", rel: "noopener noreferrer",
                         text: `Original source: ${publisher}` });
      }
      if (!url || /^\/v1\/articles\/[^/?#\s]+$/.test(url)) return null;
      return el("span", { class: "pqa-source pqa-source-text",
                          text: `Original source: ${publisher} (${url})` });
    }

    function renderTurn(question, r) {
      turn += 1;
      const prefix = `pqa-t${turn}`;
      const item = el("article", { class: "pqa-turn" });
      item.append(el("p", { class: "pqa-question", text: question }));
      // Triage notices come first: red for urgent, amber for "contact your team today".
      const safety = r.safety && typeof r.safety === "object" ? r.safety : null;
      const level = safety && safety.level;
      if (level === "LEVEL_URGENT") {
        item.append(el("div", { class: "pqa-urgent", role: "alert",
                                "data-category": str(safety.category), text: str(safety.message) }));
      } else if (level === "LEVEL_CONTACT_TEAM") {
        item.append(el("div", { class: "pqa-contact-team", role: "status",
                                "data-category": str(safety.category),
                                text: str(safety.message) }));
      }
      const dym = str(r.did_you_mean);
      if (dym) {
        item.append(el("p", { class: "pqa-dym" }, [
          "Did you mean: ",
          el("a", { href: "#", class: "pqa-dym-link", text: dym,
                    onclick: (e) => { e.preventDefault(); ask(dym); } })]));
      }
      const passages = Array.isArray(r.passages) ? r.passages : [];
      item.append(r.answered ? answerWithLinks(str(r.answer), prefix, passages.length)
                             : el("p", { class: "pqa-no-answer", text: str(r.answer) }));
      const cards = el("ol", { class: "pqa-citations", "aria-label": "Sources" });
      passages.forEach((p, i) => {
        const c = (p && p.citation) || {};
        const section = str(c.section);
        cards.append(el("li", { class: "pqa-citation", id: `${prefix}-${i + 1}`, tabindex: "-1" }, [
          el("p", { class: "pqa-cite-title", text: `[${i + 1}] ${str(c.title)}` }),
          el("p", { class: "pqa-meta", text: `${str(c.publisher)} · updated ${str(c.updated)}` +
                                              (str(c.reviewed) ? ` · reviewed ${str(c.reviewed)}` : "") +
                                              (section ? ` · ${section}` : "") }),
          el("blockquote", { class: "pqa-quote", text: str(p && p.text) }),
          el("button", { type: "button", class: "pqa-read", text: "Read the full article",
                         onclick: () => showArticle(c.article_id) }),
          sourceLine(c),
        ]));
      });
      item.append(cards);
      const notice = safety ? str(safety.message) : "";
      if (level !== "LEVEL_URGENT" && level !== "LEVEL_CONTACT_TEAM" && notice &&
          notice !== str(r.answer)) {
        item.append(el("p", { class: "pqa-notice", text: notice }));
      }
      log.append(item);
      item.scrollIntoView({ block: "start" });
    }

    async function ask(raw) {
      if (busy) return;  // one question at a time: the first one's answer comes first
      const question = str(raw).trim();
      if (!question) return;
      setBusy(true);
      input.value = "";
      status.textContent = "Searching the library…";
      status.className = "pqa-status pqa-loading";
      try {
        const r = await fetch(base + "/v1/ask", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ question, history: history.slice(-MAX_HISTORY) }),
        });
        const body = await r.json();
        if (!r.ok) throw new Error(str(body && body.message) || `The server answered ${r.status}`);
        if (!body || typeof body !== "object") throw new Error("The server's answer was not understood");
        renderTurn(question, body);
        history.push(question);
        status.textContent = "";
        status.className = "pqa-status";
      } catch (err) {
        status.textContent = `Sorry, something went wrong: ${err.message}`;
        status.className = "pqa-status pqa-error";
        if (!input.value) input.value = question;  // give the question back, to try again
      } finally {
        setBusy(false);
        // Back to the input, unless the reader has moved on (to the article, or off the widget).
        const at = document.activeElement;
        if (!at || at === document.body || (panel.contains(at) && !article.contains(at))) input.focus();
      }
    }
  }

  const script = document.currentScript;
  const endpoint = script && script.dataset.endpoint !== undefined
      ? script.dataset.endpoint : new URL(script ? script.src : location.href).origin;
  const id = (script && script.dataset.container) || "patientqa-chat";
  function start() {
    const container = document.getElementById(id);
    if (container) mount(container, endpoint);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.PatientQAWidget = { mount };
})();
