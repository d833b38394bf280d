// The connect-mock dashboard (GET /__mock/) in headless Chromium: it loads, shows requests as they
// arrive (with the request id the caller saw), shows pending scripts and instances, resets, and
// shows whatever clients sent as text, never as markup. Run by run.sh, which starts the mock and
// passes:
//
//   CONNECT_MOCK_URL    the mock, e.g. http://127.0.0.1:4566
//   CHROMIUM            the browser binary (default /usr/bin/chromium)
//   DASHBOARD_NODE_DIR  where playwright-core is installed (its node_modules)
//
// Every wait is bounded (WAIT_MS); a failure says what was expected and what the page showed.
import { createRequire } from "node:module";
import { strict as assert } from "node:assert";
import path from "node:path";
import os from "node:os";

const base = process.env.CONNECT_MOCK_URL;
if (!base) {
  console.error("error: set CONNECT_MOCK_URL (run.sh does)");
  process.exit(2);
}
const nodeDir = process.env.DASHBOARD_NODE_DIR;
if (!nodeDir) {
  console.error("error: set DASHBOARD_NODE_DIR to playwright-core's install directory (run.sh does)");
  process.exit(2);
}
const require = createRequire(path.join(nodeDir, "package.json"));
const { chromium } = require("playwright-core");

const WAIT_MS = 10_000;
const dashboardUrl = base + "/__mock/";
const mockHost = new URL(base).host;
const screenshot = path.join(process.env.TMPDIR || os.tmpdir() || "/tmp", "connect-mock-dashboard.png");
const XSS = "<script>alert(1)</script>";
const xssPath = "/user/federate/" + encodeURIComponent(XSS); // %3Cscript%3Ealert(1)%3C%2Fscript%3E

// What the page did, checked at the end (and shown on a failure).
const pageRequests = [];
const dialogs = [];
const pageErrors = [];
const consoleLines = [];

/**
 * Everything the dashboard shows, read in the page: tables as rows of cell texts (with each row's
 * data-seq and its cells' classes). Self-contained: it runs in the browser.
 */
function snapshot() {
  const element = (selector) => {
    const found = document.querySelector(selector);
    if (!found) throw new Error(`the page has no ${selector}`);
    return found;
  };
  const rows = (selector) => [...element(selector).tBodies[0].rows].map((row) => ({
    seq: row.dataset.seq ?? null,
    cells: [...row.cells].map((c) => c.textContent),
    classes: [...row.cells].map((c) => c.className),
  }));
  const text = (selector) => element(selector).textContent;
  return {
    status: text("#status"),
    settings: text("#settings"),
    count: text("#count"),
    instances: rows("#instances"),
    scripts: rows("#scripts"),
    requests: rows("#requests"),
  };
}

/** Polls the page's snapshot until `done(snapshot)`, for at most WAIT_MS; returns that snapshot. */
async function waitFor(page, what, done) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await page.evaluate(snapshot);
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; the page showed:\n${show(value)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A snapshot for people: one line per table row, cells between bars. */
function show(s) {
  return [`  #status: ${s.status}`, `  #settings: ${s.settings}`, `  #count: ${s.count}`,
    `  #instances:${showRows(s.instances)}`, `  #scripts:${showRows(s.scripts)}`,
    `  #requests:${showRows(s.requests)}`].join("\n");
}

function showRows(rows) {
  if (rows.length === 0) return " (no rows)";
  return rows.map((r) => `\n    ${r.seq === null ? "" : `[data-seq=${r.seq}] `}${r.cells.join(" | ")}`).join("");
}

const texts = (rows) => rows.map((r) => r.cells.join("|"));

async function mockFetch(pathAndQuery, init) {
  const response = await fetch(base + pathAndQuery, init);
  const body = await response.text();
  return { status: response.status, headers: response.headers, body };
}

/** `n` GetFederationToken calls at once (answered 200: every instance exists). */
async function burst(n) {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => mockFetch(`/user/federate/burst-${i}`)));
  const failed = answers.filter((a) => a.status !== 200);
  assert.deepEqual(failed.map((a) => `${a.status} ${a.body}`), [], "calls of a burst that failed");
}

/** The requests the mock recorded (oldest first), from the admin API. */
async function mockRecord() {
  const r = await mockFetch("/__mock/requests");
  assert.equal(r.status, 200, `GET /__mock/requests: ${r.body}`);
  return JSON.parse(r.body).requests;
}

async function adminPost(pathAndQuery, json) {
  const r = await mockFetch("/__mock" + pathAndQuery, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  assert.ok(r.status >= 200 && r.status < 300, `POST /__mock${pathAndQuery} answered ${r.status}: ${r.body}`);
  return r;
}

function step(text) {
  console.log(`- ${text}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    timeout: 60_000,
    // Chromium's own background traffic (updates, sync, field trials) has no network here: off.
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    page.on("request", (r) => pageRequests.push(r.url()));
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    try {
      await scenario(page);
    } catch (e) {
      // What the page looked like when it failed, for the human reading the CI log.
      await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
      console.error(`(screenshot of the failure: ${screenshot})`);
      throw e;
    }
  } finally {
    await browser.close();
  }
}

async function scenario(page) {
  step(`open ${dashboardUrl}`);
  const response = await page.goto(dashboardUrl, { waitUntil: "load", timeout: WAIT_MS });
  assert.ok(response, "no response for the dashboard");
  assert.equal(response.status(), 200, "the dashboard's HTTP status");
  assert.match(response.headers()["content-type"] ?? "", /^text\/html/, "the dashboard's content type");
  assert.equal(await page.title(), "connect-mock", "the dashboard's title");

  step("the page polls the mock: #status becomes live");
  const initial = await waitFor(page, '#status to start with "live"', (s) => s.status?.startsWith("live"));
  assert.match(initial.settings, /Region us-east-1/, "#settings names the region");
  assert.deepEqual(texts(initial.instances), ["none: every instance exists"], "#instances of a mock without fixtures");
  assert.deepEqual(texts(initial.scripts), ["none"], "#scripts of a mock without fixtures");
  assert.deepEqual(initial.requests, [], "#requests of a fresh mock");
  // Opening the page adds nothing to the mock's record (a browser asks for /favicon.ico, say).
  await page.waitForTimeout(750);
  const opened = await mockRecord();
  assert.deepEqual(opened.map((r) => `${r.method} ${r.path}`), [], "requests the mock recorded while the page loaded");

  step("a GetFederationToken call shows up in #requests with its request id");
  const call = await mockFetch("/user/federate/i-1");
  assert.equal(call.status, 200, `GET /user/federate/i-1: ${call.body}`);
  const requestId = call.headers.get("x-amzn-requestid");
  assert.ok(requestId, "the response has an x-amzn-requestid header");
  const first = await waitFor(page, `a #requests row for i-1 with status 200 and request id ${requestId}`,
    (s) => s.requests.some((r) => r.cells[3] === "200" && r.cells[5] === "i-1" && r.cells[6] === requestId));
  assert.equal(first.requests.length, 1, "one row for one request; #requests showed:" + showRows(first.requests));
  const row = first.requests[0];
  assert.equal(row.cells.length, 7, "cells: seq, time, request, status, caller, instance, request id");
  assert.match(row.seq ?? "", /^\d+$/, "the row has a data-seq");
  assert.equal(row.cells[0], row.seq, "the seq cell matches data-seq");
  assert.match(row.cells[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/, "the time cell is RFC 3339");
  assert.equal(row.cells[2], "GET /user/federate/i-1", "the request cell");
  assert.equal(row.cells[4], "unsigned", "the caller cell of an unsigned call");
  assert.match(row.classes[3], /\bok\b/, "a 200 is styled ok");
  await waitFor(page, "#count to say (1)", (s) => s.count === "(1)");

  step("a path that is markup is shown as text (404), and runs nothing");
  const xss = await mockFetch(xssPath);
  assert.equal(xss.status, 404, `GET ${xssPath}: ${xss.body}`);
  const xssId = xss.headers.get("x-amzn-requestid");
  assert.ok(xssId, "the 404 has an x-amzn-requestid header");
  const afterXss = await waitFor(page, `a #requests row for ${xssPath} with status 404 and request id ${xssId}`,
    (s) => s.requests.some((r) => r.cells[3] === "404" && r.cells[6] === xssId));
  const xssRow = afterXss.requests.find((r) => r.cells[6] === xssId);
  assert.equal(xssRow.cells[5], XSS, "the instance cell shows the decoded id literally");
  assert.equal(xssRow.cells[2], "GET " + xssPath, "the request cell shows the path as received");
  assert.match(xssRow.classes[3], /\berr\b/, "a 404 is styled err");
  assert.deepEqual(afterXss.requests.map((r) => r.seq), [xssRow.seq, row.seq], "rows are newest first");
  assert.ok(Number(xssRow.seq) > Number(row.seq), "the newer request has the higher seq");
  const markup = await page.evaluate(() => ({
    scriptsInRequests: document.querySelectorAll("#requests script").length,
    elementsInCells: document.querySelectorAll("#requests td *").length,
    scriptsInPage: document.querySelectorAll("script").length,
  }));
  assert.deepEqual(markup, { scriptsInRequests: 0, elementsInCells: 0, scriptsInPage: 1 },
    "no element was made from what a client sent");

  step("an instance and a scripted answer added through the admin API show up");
  await adminPost("/instances", { id: "i-9" });
  await adminPost("/scripts", { answers: [{ kind: "throttling" }] });
  await waitFor(page, "#instances to list i-9 and #scripts the throttling answer",
    (s) => texts(s.instances).join() === "i-9||any caller" &&
      texts(s.scripts).join() === "any instance|throttling (429)");

  step(`screenshot: ${screenshot}`);
  await page.screenshot({ path: screenshot, fullPage: true });

  step("Reset empties the requests and scripts");
  await page.click("#reset");
  const empty = (s) => s.requests.length === 0 && s.count === "(0)" &&
    texts(s.scripts).join() === "none" && texts(s.instances).join() === "none: every instance exists";
  await waitFor(page, "#requests, #scripts and #instances to be back to empty", empty);
  // And it stays so: no poll under way at the click brings old rows back.
  await page.waitForTimeout(1_500);
  const later = await page.evaluate(snapshot);
  assert.ok(empty(later), "after a reset, the tables stay empty; the page showed:\n" + show(later));
  const health = JSON.parse((await mockFetch("/__mock/health")).body);
  assert.equal(health.requests, 0, "the mock has no requests after the page's reset");
  assert.equal(health.pending_answers, 0, "the mock has no pending answers after the page's reset");

  step("after a reset, new requests still show up");
  const again = await mockFetch("/user/federate/i-2");
  assert.equal(again.status, 200, `GET /user/federate/i-2 (no scripted answer left): ${again.body}`);
  const againId = again.headers.get("x-amzn-requestid");
  const afterReset = await waitFor(page, `a #requests row for i-2 with request id ${againId}`,
    (s) => s.requests.some((r) => r.cells[6] === againId));
  assert.equal(afterReset.requests.length, 1, "one row after the reset; #requests showed:" + showRows(afterReset.requests));
  assert.ok(Number(afterReset.requests[0].seq) > Number(xssRow.seq), "sequence numbers go on after a reset");
  assert.equal(afterReset.count, "(1)", "#count after the reset and one request");

  // Polls under way when Reset is clicked must neither bring back rows from before the reset nor
  // add a row twice (Reset polls too, beside the timer). On a fast link the windows are narrow; a
  // slow one (a tunnel, a busy machine) is simulated by delaying the admin API's answers to the
  // page, by turns 250, 650 and 450 ms, so that they also arrive out of order.
  for (const slow of [false, true]) {
    step(`bursts of calls with a Reset in the middle, on a ${slow ? "slow" : "fast"} link: #requests ends up as the mock's record`);
    if (slow) {
      let answered = 0;
      await page.route(/\/__mock\/(requests|fixtures)/, async (route) => {
        const response = await route.fetch();
        await new Promise((r) => setTimeout(r, [250, 650, 450][answered++ % 3]));
        await route.fulfill({ response });
      });
    }
    for (let round = 0; round < 3; round++) {
      const what = `${slow ? "slow" : "fast"} link, round ${round + 1}`;
      const before = burst(25);
      await page.waitForTimeout(100 + 200 * round);
      await page.click("#reset");
      await before;
      await burst(10);
      const expected = (await mockRecord()).map((r) => String(r.seq)).reverse(); // newest first
      const seqs = (s) => s.requests.map((r) => r.seq).join();
      const settled = await waitFor(page, `${what}: #requests to list the mock's record (seq ${expected.join()})`,
        (s) => seqs(s) === expected.join() && s.count === `(${expected.length})`);
      await page.waitForTimeout(slow ? 1_500 : 1_000); // two polls or more
      const still = await page.evaluate(snapshot);
      assert.equal(seqs(still), seqs(settled), `${what}: #requests changed with no new request`);
      assert.equal(still.count, `(${expected.length})`, `${what}: #count`);
    }
    if (slow) await page.unrouteAll({ behavior: "wait" });
  }

  step("the page stayed on the mock, opened no dialog and threw nothing");
  const end = await page.evaluate(snapshot);
  assert.match(end.status ?? "", /^live/, "#status at the end");
  const elsewhere = pageRequests.filter((u) => {
    const url = new URL(u);
    if (["data:", "blob:", "about:"].includes(url.protocol)) return false;
    return url.hostname !== "127.0.0.1" || url.host !== mockHost;
  });
  assert.deepEqual(elsewhere, [], "requests the page made to anything but the mock");
  assert.ok(pageRequests.some((u) => u.includes("/__mock/requests")), "the page polled /__mock/requests");
  assert.ok(pageRequests.some((u) => u.includes("/__mock/fixtures")), "the page polled /__mock/fixtures");
  assert.ok(pageRequests.some((u) => u.endsWith("/__mock/reset")), "the page posted /__mock/reset");
  assert.deepEqual(dialogs, [], "dialogs the page opened");
  assert.deepEqual(pageErrors, [], "errors the page's script threw");
}

// A last bound, below run.sh's: a hang anywhere still ends with a message.
const overall = setTimeout(() => {
  console.error("error: the dashboard test did not finish within 120 s");
  process.exit(1);
}, 120_000);
overall.unref();

try {
  await main();
  console.log(`ok: the dashboard works (${pageRequests.length} page requests, all to ${mockHost})`);
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  const at = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l) && !e.message.includes(l)).slice(0, 3);
  if (at.length) console.error(at.join("\n"));
  if (consoleLines.length) console.error("--- browser console ---\n" + consoleLines.join("\n"));
  if (pageErrors.length) console.error("--- page errors ---\n" + pageErrors.join("\n"));
  if (dialogs.length) console.error("--- dialogs ---\n" + dialogs.join("\n"));
  process.exitCode = 1;
}
