// The web console end to end: the real runner (java -jar infra/target/astra-local.jar), a real
// receiver on loopback, events pushed through the runner's SQS endpoint, and Debian's Chromium
// driven by playwright-core. One screenshot per screen goes to infra/target/console-screens/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shots = path.join(repo, "infra/target/console-screens");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const WAIT_MS = 30_000;

let runner, receiver, browser, api, queueUrl, token;
const received = [];
const foreignRequests = [];

async function until(what, fn, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("timed out waiting for " + what + (last ? ": " + last.message : ""));
}

function startRunner() {
  return new Promise((resolve, reject) => {
    const jar = path.join(repo, "infra/target/astra-local.jar");
    if (!existsSync(jar)) reject(new Error(jar + " is missing: run mvn package first"));
    const child = spawn("java", ["-jar", jar, "--in-memory", "--http-port", "0", "--sqs-port", "0", "--dynamodb-port", "0"],
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("runner did not start:\n" + out)), 90_000);
    const read = (chunk) => {
      out += chunk;
      const http = /HTTP API\s+(\S+)/.exec(out);
      const events = /events\s+(http\S+)/.exec(out);
      const tok = /token for tenant "local"[^\n]*\n\s*(\S+)/.exec(out);
      if (http && events && tok) { clearTimeout(timer); resolve({ child, api: http[1], queueUrl: events[1], token: tok[1] }); }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error("runner exited with " + code + ":\n" + out)));
  });
}

async function push(type, data) {
  const body = new URLSearchParams({ Action: "SendMessage", QueueUrl: queueUrl,
    MessageBody: JSON.stringify({ event: type, tenant: "local", data }) });
  const res = await fetch(queueUrl, { method: "POST", body });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url, headers: req.headers, body });
      const failing = req.url.includes("fail");
      res.writeHead(failing ? 500 : 200); res.end(failing ? "down" : "ok");
    });
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  ({ child: runner, api, queueUrl, token } = await startRunner());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  runner?.kill("SIGTERM");
  receiver?.close();
});

// The API as a platform's own code calls it, with the runner's token (or another).
async function call(method, path, body, withToken = token) {
  const init = { method, headers: { Authorization: "Bearer " + withToken } };
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await fetch(api + path, init);
  const text = await res.text();
  assert.ok(res.ok, method + " " + path + " answered " + res.status + ": " + text);
  return text ? JSON.parse(text) : null;
}

async function openConsole(withToken = token, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(api).origin;
  // Every request the page makes is checked: anything to another origin is recorded and refused.
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin) { foreignRequests.push(url.href); return route.abort(); }
    return route.continue();
  });
  const writes = [];
  page.on("request", (r) => { if (r.method() !== "GET") writes.push(r.method() + " " + r.url()); });
  page.writes = writes;
  await page.goto(url || api + "/console#token=" + encodeURIComponent(withToken));
  return page;
}

test("a person creates a webhook, sees a delivery, opens it, resends it, and uses test mode", async () => {
  const page = await openConsole();
  assert.equal(new URL(page.url()).hash, "", "the token leaves the address bar");
  await page.screenshot({ path: path.join(shots, "01-webhooks.png"), fullPage: true });

  const hookUrl = "http://127.0.0.1:" + receiver.address().port + "/console-hook";
  await page.fill("input[name=url]", hookUrl);
  await page.waitForSelector("#event-options input[value=agent_completed]");
  await page.uncheck("#events-all");
  await page.check("#event-options input[value=agent_completed]");
  await page.fill("input[name=description]", "made in the console");
  await page.click("#webhook-save");
  await page.waitForSelector("#new-secret:not([hidden])");
  const secret = await page.textContent("#new-secret-value");
  assert.match(secret, /^whsec_/);
  await page.waitForSelector("#webhook-rows tr >> text=" + hookUrl);
  await page.screenshot({ path: path.join(shots, "02-webhook-created.png"), fullPage: true });

  await push("agent_completed", { runId: "run_console" });
  await until("the receiver to get the event", () => received.find((r) => r.body.includes("run_console")));

  await page.click("nav button[data-screen=inspector]");
  await until("the dispatch in the inspector", async () => {
    await page.click("#filters button[type=submit]");
    return (await page.locator("#dispatch-rows tr").count()) > 0;
  });
  await page.locator("#dispatch-rows tr").first().click();
  await page.waitForSelector("#dispatch-detail:not([hidden])");
  assert.match(await page.textContent("#dispatch-payload"), /run_console/);
  assert.match(await page.textContent("#dispatch-facts"), /delivered/);
  assert.match(await page.textContent("#dispatch-headers"), /webhook-signature/);
  await page.screenshot({ path: path.join(shots, "03-inspector-dispatch.png"), fullPage: true });

  const before = received.filter((r) => r.body.includes("run_console")).length;
  await page.click("#act-resend");
  await until("the resent delivery", () => received.filter((r) => r.body.includes("run_console")).length > before);
  await until("the resend in the detail", async () => /resend/.test(await page.textContent("#dispatch-facts")));
  const deliveries = received.filter((r) => r.body.includes("run_console"));
  assert.equal(deliveries[0].headers["webhook-id"], deliveries.at(-1).headers["webhook-id"], "same event, same webhook-id");
  await page.screenshot({ path: path.join(shots, "04-resent.png"), fullPage: true });

  await page.click("nav button[data-screen=testmode]");
  await page.waitForSelector("#testmode-state >> text=off");
  await page.click("#testmode-toggle");
  await page.waitForSelector("#testmode-state >> text=on");
  const sentBefore = received.length;
  await push("agent_completed", { runId: "run_intercepted" });
  await until("the interception in the log", async () => {
    await page.click("#testmode-refresh");
    return (await page.locator("#log-rows tr").count()) > 0;
  });
  assert.equal(received.length, sentBefore, "nothing was sent while test mode was on");
  await page.screenshot({ path: path.join(shots, "05-test-mode-log.png"), fullPage: true });
  await page.click("#testmode-clear");
  await until("the cleared log", async () => (await page.locator("#log-rows tr").count()) === 0);
  await page.click("#testmode-toggle");
  await page.waitForSelector("#testmode-state >> text=off");

  assert.deepEqual(foreignRequests, [], "the console asked no other origin for anything");
  await page.context().close();
});

test("an API refusal is shown to the person in words", async () => {
  const page = await openConsole("not-a-token");
  await page.waitForSelector("#status.error");
  assert.match(await page.textContent("#status"), /token was refused/i);
  await page.screenshot({ path: path.join(shots, "06-refused-token.png"), fullPage: true });
  assert.deepEqual(foreignRequests, []);
  await page.context().close();
});

const WRITE_CONTROLS = ["#webhook-form", "#webhook-save", "#act-test", "#act-rotate", "#act-toggle", "#act-delete",
  "#act-recover", "#act-resend", "#testmode-toggle", "#testmode-clear"];

test("a webhook's health is drawn from the API's own numbers, and the inspector shows the outcome mix", async () => {
  const port = receiver.address().port;
  const w = await call("POST", "/webhooks", { url: "http://127.0.0.1:" + port + "/health-ok", events: ["agent_completed"],
    description: "health chart" });
  for (let i = 0; i < 3; i++) assert.equal((await call("POST", "/webhooks/" + w.id + "/test")).outcome, "delivered");
  await call("PUT", "/webhooks/" + w.id, { url: "http://127.0.0.1:" + port + "/health-fail" });
  for (let i = 0; i < 2; i++) assert.equal((await call("POST", "/webhooks/" + w.id + "/test")).outcome, "failed");
  await call("POST", "/webhooks/test-mode/enable");
  assert.equal((await call("POST", "/webhooks/" + w.id + "/test")).outcome, "intercepted");
  await call("POST", "/webhooks/test-mode/disable");

  const page = await openConsole();
  await page.click("#webhook-rows tr >> text=health chart");
  await until("the health chart", async () => (await page.locator("#health-bars rect").count()) > 0);
  const since = new Date(Date.now() - 24 * 3600e3).toISOString();
  const stats = await call("GET", "/webhooks/" + w.id + "/stats?bucket=1h&since=" + encodeURIComponent(since));
  const drawn = await page.$$eval("#health-bars rect", (rects) => rects.map((r) => ({ start: r.dataset.start,
    outcome: r.dataset.outcome, count: Number(r.dataset.count), height: Number(r.getAttribute("height")) })));
  const scale = Number(await page.getAttribute("#health-bars", "data-scale"));
  assert.ok(scale > 0);
  const byStart = new Map(stats.series.map((b) => [b.start, b]));
  const totals = { delivered: 0, failed: 0, intercepted: 0 };
  for (const bar of drawn) {
    const bucket = byStart.get(bar.start);
    assert.ok(bucket, "a bar for a bucket the API has: " + bar.start);
    assert.equal(bar.count, bucket[bar.outcome], bar.start + " " + bar.outcome);
    assert.ok(Math.abs(bar.height - bucket[bar.outcome] * scale) < 0.01, "height of " + bar.start + " " + bar.outcome);
    totals[bar.outcome] += bar.count;
  }
  assert.deepEqual(totals, { delivered: 3, failed: 2, intercepted: 1 });
  const tallest = Math.max(...stats.series.map((b) => b.delivered + b.failed + b.intercepted));
  assert.ok(Math.abs(tallest * scale - 176) < 0.01, "the busiest hour fills the plot");
  assert.match(await page.textContent("#health-summary"), /3 delivered, 2 failed, 1 intercepted/);
  assert.ok((await page.locator("#health-latency circle.dot-p50").count()) >= 1, "latency drawn");
  await page.screenshot({ path: path.join(shots, "07-webhook-health.png"), fullPage: true });

  await page.click("nav button[data-screen=inspector]");
  await page.selectOption("#filters select[name=webhookId]", w.id);
  await page.click("#filters button[type=submit]");
  await until("this webhook's dispatches", async () => (await page.locator("#dispatch-rows tr").count()) === 6);
  const mix = await page.$$eval("#mix-bar rect", (rects) => Object.fromEntries(rects.map((r) => [r.dataset.outcome, Number(r.dataset.count)])));
  assert.deepEqual(mix, { delivered: 3, failed: 2, intercepted: 1 });
  assert.match(await page.textContent("#mix-legend"), /Of the 6 listed: 3 delivered, 2 failed, 1 intercepted/);
  await page.screenshot({ path: path.join(shots, "08-inspector-outcome-mix.png"), fullPage: true });
  assert.deepEqual(foreignRequests, []);
  await page.context().close();
});

test("event types are picked from the catalog and headers edited as rows, and both come back as saved", async () => {
  const catalog = await call("GET", "/event-types");
  const page = await openConsole();
  await page.waitForSelector("#event-options input[value='tool.executed']");
  const described = catalog.data.find((t) => t.name === "tool.executed").description;
  assert.ok(described);
  assert.match(await page.textContent("#event-options label:has(input[value='tool.executed'])"), new RegExp(described.replace(/\./g, "\\.")));
  assert.equal(await page.locator("#event-options input").count(), catalog.data.length, "one checkbox per catalog entry");

  const hookUrl = "http://127.0.0.1:" + receiver.address().port + "/picked";
  await page.fill("input[name=url]", hookUrl);
  await page.uncheck("#events-all");
  await page.check("#event-options input[value='tool.executed']");
  await page.check("#event-options input[value='approval.requested']");
  await page.click("#header-add");
  await page.fill("#header-rows .header-row:last-child input[name=header-name]", "X-Team");
  await page.fill("#header-rows .header-row:last-child input[name=header-value]", "blue");
  await page.screenshot({ path: path.join(shots, "09-event-picker.png"), fullPage: true });
  await page.click("#webhook-save");
  await page.waitForSelector("#new-secret:not([hidden])");
  const saved = (await call("GET", "/webhooks?limit=200")).data.find((x) => x.url === hookUrl);
  assert.deepEqual([...saved.events].sort(), ["approval.requested", "tool.executed"]);
  assert.deepEqual(saved.headers, { "X-Team": "blue" });
  await page.context().close();

  const again = await openConsole();
  await again.click("#webhook-rows tr >> text=" + hookUrl);
  await again.waitForSelector("#webhook-detail:not([hidden])");
  // the detail can show before the catalog's checkboxes exist; they are ticked as they are drawn
  await again.waitForSelector("#event-options input[value='tool.executed']");
  const checked = await again.$$eval("#event-options input:checked", (boxes) => boxes.map((b) => b.value).sort());
  assert.deepEqual(checked, ["approval.requested", "tool.executed"]);
  assert.equal(await again.isChecked("#events-all"), false);
  assert.equal(await again.inputValue("#header-rows input[name=header-name]"), "X-Team");
  assert.equal(await again.inputValue("#header-rows input[name=header-value]"), "blue");
  await again.check("#event-options input[value='agent.failed']");
  await again.click("#webhook-save");
  await until("the third event type saved", async () =>
    (await call("GET", "/webhooks/" + saved.id)).events.length === 3);
  assert.deepEqual([...(await call("GET", "/webhooks/" + saved.id)).events].sort(), ["agent.failed", "approval.requested", "tool.executed"]);
  assert.deepEqual(foreignRequests, []);
  await again.context().close();
});

test("a read-only portal link shows no control that would fail", async () => {
  const w = await call("POST", "/webhooks", { url: "http://127.0.0.1:" + receiver.address().port + "/read-only",
    events: "*", description: "seen through a read-only link" });
  await call("POST", "/webhooks/" + w.id + "/test");
  const link = await call("POST", "/portal-links", { scope: "read", ttlSeconds: 600 });
  assert.ok(link.url.startsWith(api + "/console#token="), link.url);
  const page = await openConsole(undefined, link.url);
  await page.waitForSelector("#webhook-rows tr");
  assert.match(await page.textContent("#who"), /read-only link/);
  const visibleWrites = async () => {
    const shown = [];
    for (const sel of WRITE_CONTROLS) if (await page.isVisible(sel)) shown.push(sel);
    shown.push(...await page.$$eval("[data-write]", (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.id || e.tagName)));
    return shown;
  };
  assert.deepEqual(await visibleWrites(), []);
  await page.screenshot({ path: path.join(shots, "10-read-only-webhooks.png"), fullPage: true });

  await page.locator("#webhook-rows tr").first().click();
  await page.waitForSelector("#webhook-detail:not([hidden])");
  await until("the health chart", async () => (await page.locator("#health-bars rect").count()) > 0);
  assert.ok(await page.isVisible("#act-deliveries"), "reading stays possible");
  assert.deepEqual(await visibleWrites(), []);
  await page.screenshot({ path: path.join(shots, "11-read-only-webhook-detail.png"), fullPage: true });

  await page.click("nav button[data-screen=inspector]");
  await until("dispatches", async () => (await page.locator("#dispatch-rows tr").count()) > 0);
  await page.locator("#dispatch-rows tr").first().click();
  await page.waitForSelector("#dispatch-detail:not([hidden])");
  assert.deepEqual(await visibleWrites(), []);
  await page.screenshot({ path: path.join(shots, "12-read-only-inspector.png"), fullPage: true });

  await page.click("nav button[data-screen=testmode]");
  await page.waitForSelector("#testmode-state >> text=off");
  assert.ok(await page.isVisible("#testmode-refresh"));
  assert.deepEqual(await visibleWrites(), []);
  await page.screenshot({ path: path.join(shots, "13-read-only-test-mode.png"), fullPage: true });

  assert.equal(await page.isVisible("#status.error"), false, "nothing the page did was refused");
  assert.deepEqual(page.writes, [], "the page never tried to change anything");
  assert.deepEqual(foreignRequests, []);
  await page.context().close();
});

test("the console can be worked with the keyboard alone", async () => {
  const page = await openConsole();
  await page.waitForSelector("#webhook-rows tr");
  await page.focus("#webhook-rows tr");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#webhook-detail:not([hidden])");
  assert.equal(await page.evaluate(() => document.activeElement.id), "detail-title", "focus moves to what was opened");
  for (const input of await page.$$("#webhook-form input:not([type=hidden]), #webhook-form select, #event-picker input, #health select")) {
    const named = await input.evaluate((el) => Boolean(el.labels?.length || el.getAttribute("aria-label")));
    assert.ok(named, "every field has a label: " + await input.evaluate((el) => el.outerHTML));
  }
  await page.context().close();
});

test("a manage link for one webhook edits that webhook and shows nothing tenant-wide", async () => {
  const mine = await call("POST", "/webhooks", { url: "http://127.0.0.1:" + receiver.address().port + "/mine",
    events: "*", description: "the customer's own" });
  const link = await call("POST", "/portal-links", { scope: "manage", webhookIds: [mine.id] });
  const page = await openConsole(undefined, link.url);
  await page.waitForSelector("#webhook-rows tr");
  assert.equal(await page.locator("#webhook-rows tr").count(), 1, "only its own webhook is listed");
  assert.equal(await page.isVisible("#webhook-form"), false, "no create form: a new webhook would be outside the link");
  await page.locator("#webhook-rows tr").first().click();
  await page.waitForSelector("#webhook-form");
  assert.ok(await page.isVisible("#act-rotate"));
  await page.fill("input[name=description]", "renamed through the link");
  await page.click("#webhook-save");
  await until("the new description", async () => (await call("GET", "/webhooks/" + mine.id)).description === "renamed through the link");
  await page.click("nav button[data-screen=testmode]");
  await page.waitForSelector("#testmode-state >> text=off");
  assert.equal(await page.isVisible("#testmode-toggle"), false);
  assert.equal(await page.isVisible("#testmode-clear"), false);
  await page.screenshot({ path: path.join(shots, "14-one-webhook-link-test-mode.png"), fullPage: true });
  assert.equal(await page.isVisible("#status.error"), false);
  await page.context().close();
});

test("a person sets a payload filter and a retry schedule; a refused filter is explained under it", async () => {
  const page = await openConsole();
  const hookUrl = "http://127.0.0.1:" + receiver.address().port + "/filtered-hook";
  await page.fill("input[name=url]", hookUrl);
  await page.check("#events-all");
  await page.fill("textarea[name=filter]", '{"data.runId": {"$gt": true}}');
  await page.click("#webhook-save");
  await page.waitForSelector("#filter-error:not([hidden])");
  assert.match(await page.textContent("#filter-error"), /filter\.data\.runId\.\$gt must be a number or a string/);
  await page.screenshot({ path: path.join(shots, "15-filter-refused.png"), fullPage: true });

  await page.fill("textarea[name=filter]", '{"data.runId": {"$startsWith": "keep_"}}');
  await page.fill("input[name=retrySchedule]", "10s, 60s");
  await page.click("#webhook-save");
  await page.waitForSelector("#new-secret:not([hidden])");
  assert.equal(await page.isHidden("#filter-error"), true, "the message goes once the filter is accepted");
  assert.equal(await page.inputValue("input[name=retrySchedule]"), "10s,1m", "the schedule as the server keeps it");
  assert.deepEqual(JSON.parse(await page.inputValue("textarea[name=filter]")), { "data.runId": { $startsWith: "keep_" } });

  await push("agent.failed", { runId: "keep_console" });
  await until("the matching event at the filtered webhook",
    () => received.find((r) => r.path === "/filtered-hook" && r.body.includes("keep_console")));
  await page.screenshot({ path: path.join(shots, "16-filter-saved.png"), fullPage: true });
  assert.deepEqual(foreignRequests, []);
  await page.context().close();
});
