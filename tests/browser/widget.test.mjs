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
