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
    req.on("end", () => { received.push({ path: req.url, headers: req.headers, body }); res.writeHead(200); res.end("ok"); });
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

async function openConsole(withToken = token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(api).origin;
  // Every request the page makes is checked: anything to another origin is recorded and refused.
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin) { foreignRequests.push(url.href); return route.abort(); }
    return route.continue();
  });
  await page.goto(api + "/console#token=" + encodeURIComponent(withToken));
  return page;
}

test("a person creates a webhook, sees a delivery, opens it, resends it, and uses test mode", async () => {
  const page = await openConsole();
  assert.equal(new URL(page.url()).hash, "", "the token leaves the address bar");
  await page.screenshot({ path: path.join(shots, "01-webhooks.png"), fullPage: true });

  const hookUrl = "http://127.0.0.1:" + receiver.address().port + "/console-hook";
  await page.fill("input[name=url]", hookUrl);
  await page.fill("input[name=events]", "agent_completed");
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

test("a person sets a payload filter and a retry schedule; a refused filter is explained under it", async () => {
  const page = await openConsole();
  const hookUrl = "http://127.0.0.1:" + receiver.address().port + "/filtered-hook";
  await page.fill("input[name=url]", hookUrl);
  await page.fill("input[name=events]", "*");
  await page.fill("textarea[name=filter]", '{"data.runId": {"$gt": true}}');
  await page.click("#webhook-save");
  await page.waitForSelector("#filter-error:not([hidden])");
  assert.match(await page.textContent("#filter-error"), /filter\.data\.runId\.\$gt must be a number or a string/);
  await page.screenshot({ path: path.join(shots, "07-filter-refused.png"), fullPage: true });

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
  await page.screenshot({ path: path.join(shots, "08-filter-saved.png"), fullPage: true });
  assert.deepEqual(foreignRequests, []);
  await page.context().close();
});
