// Drives the chat widget in Debian's Chromium against the real server, on a phone-sized
// screen, and saves screenshots. Usage (from ctest):
//   node --test widget.test.mjs   with SOURCE_DIR, INDEX_BIN, SERVER_BIN, ARTIFACT_DIR set
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, existsSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const { SOURCE_DIR, INDEX_BIN, SERVER_BIN } = process.env;
const ARTIFACTS = process.env.ARTIFACT_DIR || join(SOURCE_DIR, "test-artifacts", "browser");
let tmp, server, browser, page, base;

async function waitFor(check, what, ms = 30000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), "patientqa-browser-"));
  const index = join(tmp, "index");
  execFileSync(INDEX_BIN, ["--corpus", join(SOURCE_DIR, "corpus"), "--out", index]);
  const portFile = join(tmp, "http_port");
  server = spawn(SERVER_BIN, ["--index", index, "--listen", "127.0.0.1:0", "--http_listen",
                              "127.0.0.1:0", "--http_port_file", portFile, "--web_root",
                              join(SOURCE_DIR, "clients", "web"), "--shutdown_grace_ms", "300"],
                 { stdio: "ignore" });
  await waitFor(() => existsSync(portFile), "the server's HTTP port");
  base = `http://127.0.0.1:${parseInt(readFileSync(portFile, "utf8"), 10)}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/widget/demo.html`);
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function ask(question) {
  const turns = await page.locator(".pqa-turn").count();
  await page.getByLabel("Your question").fill(question);
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  await page.locator(".pqa-turn").nth(turns).waitFor();
  return page.locator(".pqa-turn").nth(turns);
}

test("starter questions come from the library", async () => {
  await page.locator(".pqa-starter").first().waitFor();
  assert.ok((await page.locator(".pqa-starter").count()) >= 3);
  await page.screenshot({ path: join(ARTIFACTS, "1-start.png"), fullPage: true });
});

test("a question gets an answer with [n] links to citation cards", async () => {
  const turn = await ask("Where does colon cancer spread first?");
  const answer = turn.locator(".pqa-answer");
  assert.match(await answer.innerText(), /\[1\]/);
  const cards = turn.locator(".pqa-citation");
  assert.ok((await cards.count()) >= 2);
  const first = await cards.first().innerText();
  assert.match(first, /updated \d{4}-\d{2}-\d{2}/);
  assert.match(await turn.innerText(), /Mondo Health/);
  assert.match(await turn.locator(".pqa-notice").innerText(), /not medical advice/);
  // The page does not scroll sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false);
  await page.screenshot({ path: join(ARTIFACTS, "2-answer.png"), fullPage: true });
});

test("clicking a citation leads to its card and the full article", async () => {
  const turn = page.locator(".pqa-turn").first();
  await turn.locator(".pqa-ref").first().click();
  assert.match(page.url(), /#pqa-t1-\d+$/);
  await turn.locator(".pqa-read").first().click();
  const article = page.getByRole("region", { name: "Full article" });
  await article.locator(".pqa-article-title").waitFor();
  assert.ok((await article.innerText()).length > 200);
  await page.screenshot({ path: join(ARTIFACTS, "3-article.png"), fullPage: true });
  await article.getByRole("button", { name: "Close article" }).click();
});

test("a follow-up is answered in the context of the conversation", async () => {
  await ask("My dad's bowel cancer has spread to his liver.");
  const turn = await ask("can they operate?");
  assert.match((await turn.locator(".pqa-citation").first().innerText()).toLowerCase(), /liver/);
  await page.screenshot({ path: join(ARTIFACTS, "4-follow-up.png"), fullPage: true });
});

test("an emergency notice comes first and is unmistakable", async () => {
  const turn = await ask("I'm bleeding heavily from my back passage and it won't stop");
  const urgent = turn.getByRole("alert");
  assert.match(await urgent.innerText(), /emergency number/);
  const order = await turn.evaluate((node) => {
    const alert = node.querySelector(".pqa-urgent");
    const answer = node.querySelector(".pqa-answer, .pqa-no-answer");
    return alert.compareDocumentPosition(answer) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, "the alert comes before the answer");
  await page.screenshot({ path: join(ARTIFACTS, "5-emergency.png"), fullPage: true });
});

test("a contact-the-team notice is amber, distinct from an emergency, and comes first", async () => {
  const turn = await ask("My skin has gone yellow and I feel itchy");
  const amber = turn.locator(".pqa-contact-team");
  assert.match(await amber.innerText(), /cancer team today/);
  assert.equal(await amber.getAttribute("data-category"), "jaundice");
  assert.equal(await turn.locator(".pqa-urgent").count(), 0);
  const colours = await turn.evaluate((node) => [
    getComputedStyle(node.querySelector(".pqa-contact-team")).backgroundColor,
    node.querySelector(".pqa-contact-team").compareDocumentPosition(
        node.querySelector(".pqa-answer, .pqa-no-answer")) & Node.DOCUMENT_POSITION_FOLLOWING,
  ]);
  assert.equal(colours[0], "rgb(255, 184, 28)");
  assert.ok(colours[1], "the notice comes before the answer");
  await page.screenshot({ path: join(ARTIFACTS, "6-contact-team.png"), fullPage: true });
});

test("a misspelled question offers a did-you-mean link that asks the corrected question", async () => {
  const turn = await ask("colon cancr spred to livr");
  const link = turn.locator(".pqa-dym-link");
  assert.match(await link.innerText(), /cancer spread to liver/);
  const before = await page.locator(".pqa-turn").count();
  await link.click();
  await page.locator(".pqa-turn").nth(before).waitFor();
  assert.match(await page.locator(".pqa-turn").nth(before).locator(".pqa-question").innerText(),
               /colon cancer spread to liver/);
});

test("an off-topic question says plainly that the library does not cover it", async () => {
  const turn = await ask("Can you give me a good recipe for banana bread?");
  assert.match(await turn.locator(".pqa-no-answer").innerText(), /no article/);
  assert.equal(await turn.locator(".pqa-citation").count(), 0);
});

test("one question at a time: a second one cannot overtake the first, and carries it as history", async () => {
  const asks = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  // Hold the first /v1/ask in the browser until the test lets it go; later ones pass straight on.
  await page.route("**/v1/ask", async (route) => {
    asks.push(route.request().postDataJSON());
    if (asks.length === 1) await held;
    await route.continue().catch(() => {});  // the page may have moved on after a failure
  });
  try {
    const input = page.getByLabel("Your question");
    const send = page.getByRole("button", { name: "Ask", exact: true });
    const before = await page.locator(".pqa-turn").count();
    const first = "What is FOLFOX?";
    const second = "what are the side effects of it?";
    await input.fill(first);
    await input.press("Enter");
    await waitFor(() => asks.length === 1, "the first question to be sent");
    await page.locator(".pqa-status.pqa-loading").waitFor();
    assert.equal(await input.isDisabled(), true, "the input is disabled while loading");
    assert.equal(await send.isDisabled(), true, "the Ask button is disabled while loading");
    assert.equal(await page.locator(".pqa-starter:not([disabled])").count(), 0,
                 "the starter questions are disabled while loading");

    // Try every way to ask again while the first question loads: typing and Enter at the
    // keyboard, the same events forced on the disabled input and form, a starter question, and
    // a did-you-mean link from an earlier answer.
    await page.keyboard.type(second);
    await page.keyboard.press("Enter");
    await page.evaluate((q) => {
      const box = document.querySelector(".pqa-input");
      box.value = q;
      box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
      document.querySelector(".pqa-form").requestSubmit();
      document.querySelector(".pqa-starter").click();
      const dym = document.querySelector(".pqa-dym-link");
      if (dym) dym.click();
    }, second);
    await page.waitForTimeout(300);
    assert.equal(asks.length, 1, "nothing else is sent while the first question loads");
    assert.equal(await page.locator(".pqa-turn").count(), before, "nothing is shown before its answer");

    release();
    await page.locator(".pqa-turn").nth(before).waitFor();
    assert.equal(await input.isDisabled(), false);
    assert.equal(await send.isDisabled(), false);
    await input.fill(second);
    await input.press("Enter");
    await page.locator(".pqa-turn").nth(before + 1).waitFor();

    assert.equal(asks.length, 2);
    const shown = await page.locator(".pqa-turn .pqa-question").allInnerTexts();
    assert.deepEqual(shown.slice(before), [first, second], "answers appear in the order asked");
    assert.equal(asks[0].question, first);
    assert.equal(asks[1].question, second);
    assert.ok(asks[1].history.includes(first), "the second question carries the first as history");
    // The history is every earlier question of the conversation, oldest first (the server takes
    // at most 20).
    assert.deepEqual(asks[0].history, shown.slice(0, before).slice(-20));
    assert.deepEqual(asks[1].history, shown.slice(0, before + 1).slice(-20));
    await page.screenshot({ path: join(ARTIFACTS, "7-one-at-a-time.png"), fullPage: true });
  } finally {
    release();
    await page.unroute("**/v1/ask");
  }
});

test("text from the server is never markup, and only http(s) URLs become links", async () => {
  const xss = "<img src=x onerror=alert(1)>";
  const citation = (n, url) => ({
    article_id: `crafted-${n}`, title: `Crafted ${n} ${xss}`, publisher: `<b>Publisher ${n}</b>`,
    url, updated: "2024-01-01", section: "<i>section</i>",
  });
  const urls = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "relative/page.html",
                "//evil.example/x", "https://www.example.org/ok", "/v1/articles/what-is-an-mdt"];
  const crafted = {
    answered: true,
    answer: `Quoted ${xss} text [1] and <script>alert(1)</script> more [2] and a stray [99].`,
    passages: urls.map((url, i) => ({ text: `Passage ${i + 1} ${xss}`, snippet: xss, score: 1,
                                      passage_id: `p${i + 1}`, citation: citation(i + 1, url) })),
    safety: { level: "LEVEL_INFO", category: `"><img src=x onerror=alert(1)>`,
              message: `Not medical advice ${xss}` },
    did_you_mean: `<a href="javascript:alert(1)">click</a>`,
    topics: [], index_version: "crafted",
  };
  const dialogs = [];
  const onDialog = (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); };
  page.on("dialog", onDialog);
  await page.route("**/v1/ask", (route) => route.fulfill({
    status: 200, contentType: "application/json", body: JSON.stringify(crafted) }));
  try {
    const turn = await ask("Show me the crafted answer");
    const titles = await turn.locator(".pqa-cite-title").allInnerTexts();
    assert.equal(titles[0], `[1] Crafted 1 ${xss}`, "the title is literal text");
    assert.match(await turn.locator(".pqa-answer").innerText(), /<script>alert\(1\)<\/script>/);
    assert.equal(await turn.locator(".pqa-dym-link").innerText(), crafted.did_you_mean);
    assert.match(await turn.locator(".pqa-notice").innerText(), /<img src=x onerror=alert\(1\)>/);
    const elements = await turn.evaluate((node) =>
        [...node.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()));
    for (const tag of ["img", "script", "b", "i", "iframe"]) {
      assert.ok(!elements.includes(tag), `no <${tag}> element is made from the data`);
    }
    assert.equal(await page.locator("#patientqa-chat img, #patientqa-chat script").count(), 0);

    // Links: only the https URL, the widget's own [n] anchors (not [99]) and "did you mean".
    const links = await turn.evaluate((node) => [...node.querySelectorAll("a")].map((a) => ({
      cls: a.className, href: a.getAttribute("href") })));
    assert.deepEqual(links.filter((l) => l.cls === "pqa-source").map((l) => l.href),
                     ["https://www.example.org/ok"]);
    assert.deepEqual(links.filter((l) => l.cls === "pqa-ref").map((l) => l.href),
                     ["#pqa-t" + (await page.locator(".pqa-turn").count()) + "-1",
                      "#pqa-t" + (await page.locator(".pqa-turn").count()) + "-2"]);
    for (const { href } of await page.locator("#patientqa-chat a").evaluateAll(
        (as) => as.map((a) => ({ href: a.getAttribute("href") })))) {
      assert.match(href, /^(#|#pqa-t\d+-\d+|https?:\/\/.*)$/, `link ${href}`);
    }
    // The other URLs are shown as text, not links; the server's own article needs none (it is
    // "Read the full article").
    const sources = await turn.locator(".pqa-citation").evaluateAll((cards) => cards.map((c) => {
      const s = c.querySelector(".pqa-source");
      return s ? [s.tagName.toLowerCase(), s.textContent] : null;
    }));
    assert.deepEqual(sources[0], ["span", "Original source: <b>Publisher 1</b> (javascript:alert(1))"]);
    assert.equal(sources[3][0], "span");
    assert.equal(sources[4][0], "span");
    assert.equal(sources[5][0], "span");
    assert.deepEqual(sources[6], ["a", "Original source: <b>Publisher 7</b>"]);
    assert.equal(sources[7], null);
    assert.ok(sources.slice(0, 6).every((s) => s[0] === "span"));

    // Clicking what looks like a javascript: URL does nothing.
    await turn.locator(".pqa-source-text").first().click();
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], "no dialog opened");
    await page.screenshot({ path: join(ARTIFACTS, "8-crafted-answer.png"), fullPage: true });
  } finally {
    await page.unroute("**/v1/ask");
    page.off("dialog", onDialog);
  }
});
