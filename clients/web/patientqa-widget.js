// patientqa chat widget: one <script> tag and a container.
//   <div id="patientqa-chat"></div>
//   <script src="https://qa.hospital.example/widget/patientqa-widget.js"
//           data-endpoint="https://qa.hospital.example" data-container="patientqa-chat"></script>
// Talks to the server's HTTP/JSON API (POST /v1/ask, GET /v1/suggest, GET /v1/articles/{id}).
// All text from the server is inserted with textContent: nothing it sends is parsed as HTML.
(function () {
  "use strict";

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }

  function mount(container, endpoint) {
    const base = (endpoint || "").replace(/\/$/, "");
    const history = [];
    let turn = 0;

    const log = el("div", { class: "pqa-log", role: "log", "aria-live": "polite",
                            "aria-label": "Conversation" });
    const starters = el("div", { class: "pqa-starters", "aria-label": "Suggested questions" });
    const input = el("textarea", { class: "pqa-input", rows: "2", maxlength: "1000",
                                   "aria-label": "Your question", placeholder: "Ask a question…" });
    const send = el("button", { class: "pqa-send", type: "submit", text: "Ask" });
    const status = el("div", { class: "pqa-status", role: "status", "aria-live": "polite" });
    const form = el("form", { class: "pqa-form", onsubmit: (e) => { e.preventDefault(); ask(input.value); } },
                    [input, send]);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(input.value); }
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
      for (const s of body.suggestions || []) {
        starters.append(el("button", { class: "pqa-starter", type: "button", text: s.text,
                                       onclick: () => ask(s.text) }));
      }
    }).catch(() => {});

    async function showArticle(id) {
      article.hidden = false;
      article.replaceChildren(el("p", { text: "Loading the article…" }));
      try {
        const r = await fetch(base + "/v1/articles/" + encodeURIComponent(id));
        const a = await r.json();
        if (!r.ok) throw new Error(a.message || "could not load the article");
        const body = el("div", { class: "pqa-article-body" });
        for (const block of a.body.split(/\n\s*\n/)) {
          const text = block.trim();
          if (!text) continue;
          body.append(text.startsWith("#") ? el("h4", { text: text.replace(/^#+\s*/, "") })
                                           : el("p", { text }));
        }
        article.replaceChildren(
          el("h3", { class: "pqa-article-title", text: a.title }),
          el("p", { class: "pqa-meta", text: `${a.publisher} · updated ${a.updated}` }),
          body,
          el("button", { type: "button", class: "pqa-close", text: "Close article",
                         onclick: () => { article.hidden = true; input.focus(); } }));
        article.focus();
      } catch (err) {
        article.replaceChildren(el("p", { class: "pqa-error", role: "alert", text: String(err.message) }));
      }
    }

    function answerWithLinks(text, prefix) {
      const p = el("p", { class: "pqa-answer" });
      for (const part of text.split(/(\[\d+\])/)) {
        const m = part.match(/^\[(\d+)\]$/);
        if (m) {
          p.append(el("a", { href: `#${prefix}-${m[1]}`, class: "pqa-ref", text: part,
                             "aria-label": `Source ${m[1]}` }));
        } else if (part) {
          p.append(document.createTextNode(part));
        }
      }
      return p;
    }

    function renderTurn(question, r) {
      turn += 1;
      const prefix = `pqa-t${turn}`;
      const item = el("article", { class: "pqa-turn" });
      item.append(el("p", { class: "pqa-question", text: question }));
      // Triage notices come first: red for urgent, amber for "contact your team today".
      const level = r.safety && r.safety.level;
      if (level === "LEVEL_URGENT") {
        item.append(el("div", { class: "pqa-urgent", role: "alert",
                                "data-category": r.safety.category || "", text: r.safety.message }));
      } else if (level === "LEVEL_CONTACT_TEAM") {
        item.append(el("div", { class: "pqa-contact-team", role: "status",
                                "data-category": r.safety.category || "",
                                text: r.safety.message }));
      }
      if (r.did_you_mean) {
        item.append(el("p", { class: "pqa-dym" }, [
          "Did you mean: ",
          el("a", { href: "#", class: "pqa-dym-link", text: r.did_you_mean,
                    onclick: (e) => { e.preventDefault(); ask(r.did_you_mean); } })]));
      }
      item.append(r.answered ? answerWithLinks(r.answer, prefix)
                             : el("p", { class: "pqa-no-answer", text: r.answer }));
      const cards = el("ol", { class: "pqa-citations", "aria-label": "Sources" });
      (r.passages || []).forEach((p, i) => {
        const c = p.citation;
        cards.append(el("li", { class: "pqa-citation", id: `${prefix}-${i + 1}`, tabindex: "-1" }, [
          el("p", { class: "pqa-cite-title", text: `[${i + 1}] ${c.title}` }),
          el("p", { class: "pqa-meta", text: `${c.publisher} · updated ${c.updated}` +
                                              (c.section ? ` · ${c.section}` : "") }),
          el("blockquote", { class: "pqa-quote", text: p.text }),
          el("button", { type: "button", class: "pqa-read", text: "Read the full article",
                         onclick: () => showArticle(c.article_id) }),
          /^https?:\/\//.test(c.url)
              ? el("a", { class: "pqa-source", href: c.url, target: "_blank", rel: "noopener",
                          text: `Original source: ${c.publisher}` })
              : null,
        ]));
      });
      item.append(cards);
      if (r.safety && level !== "LEVEL_URGENT" && level !== "LEVEL_CONTACT_TEAM" &&
          r.safety.message && r.safety.message !== r.answer) {
        item.append(el("p", { class: "pqa-notice", text: r.safety.message }));
      }
      log.append(item);
      item.scrollIntoView({ block: "start" });
    }

    async function ask(raw) {
      const question = raw.trim();
      if (!question) return;
      input.value = "";
      send.disabled = true;
      status.textContent = "Searching the library…";
      status.className = "pqa-status pqa-loading";
      try {
        const r = await fetch(base + "/v1/ask", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ question, history: history.slice(-20) }),
        });
        const body = await r.json();
        if (!r.ok) throw new Error(body.message || `The server answered ${r.status}`);
        history.push(question);
        renderTurn(question, body);
        status.textContent = "";
        status.className = "pqa-status";
      } catch (err) {
        status.textContent = `Sorry, something went wrong: ${err.message}`;
        status.className = "pqa-status pqa-error";
      } finally {
        send.disabled = false;
        input.focus();
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
