// phieu against SurveyJS in the same Chromium, side by side (issues 4 and 6).
// Run it through bench/compare.sh; see bench/README.md for what it measures.
//   node bench/compare.mjs [--runs 5] [--keys 60] [--cold-all] [--no-lighthouse] [--out bench/results/latest.md]
import { chromium } from "playwright-core";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, servePeer, sizes } from "./serve.mjs";
import { CHROMIUM, CPU, FLAGS, INPUT, PHONE, SLOW, copyDist, instrumentKeys } from "./phone.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, otherwise) => (args.includes(name) ? args[args.indexOf(name) + 1] : otherwise);
const RUNS = Number(option("--runs", 5));
const KEYS = Number(option("--keys", 60));
const OUT = path.resolve(root, option("--out", "bench/results/latest.md"));
const LIGHTHOUSE = !args.includes("--no-lighthouse");
const WARMUP = 4; // keystrokes not counted
const started = Date.now();
const say = (msg) => process.stderr.write(`compare: ${msg}\n`);

// ---------------------------------------------------------------- the forms
// A copy of dist/ (another build may replace dist/ while this runs), with the
// example forms and the generated one in its forms/.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "phieu-compare-"));
const appDir = path.join(work, "app");
await copyDist(root, appDir, say, 5);
const formsDir = path.join(appDir, "forms");
fs.mkdirSync(formsDir, { recursive: true });
const FORMS = [];
for (const name of ["phan-anh-du-luan", "ho-gia-dinh"]) {
  const file = path.join(root, "forms", name + ".json");
  if (fs.existsSync(file)) (fs.copyFileSync(file, path.join(formsDir, name + ".json")), FORMS.push(name));
  else say(`forms/${name}.json is missing; left out`);
}
const BIG = "bench-500";
fs.writeFileSync(path.join(formsDir, BIG + ".json"), execFileSync(process.execPath, [path.join(root, "bench/gen-form.mjs"), "500", "200", "10"]));
FORMS.push(BIG);
const big = JSON.parse(fs.readFileSync(path.join(formsDir, BIG + ".json"), "utf8"));
// The dependents of q1 that "9" shows and an empty q1 hides: {q1} > n, n < 9.
const toggled = big.pages[0].elements.filter((q) => /^\{q1\} > [1-8]$/.test(q.visibleIf || "")).map((q) => q.name);

// ---------------------------------------------------------------- both engines
const app = await serve({ "/": appDir });
const peer = await servePeer(root, formsDir);
const TEXT = "input[type=text], input[type=number], input[type=tel], input[type=email], input:not([type]), textarea";
const formParam = (form) => encodeURIComponent(`forms/${form}.json`);
const ENGINES = [
  {
    name: "phieu", server: app,
    url: (form) => `${app.url}/?form=${formParam(form)}&draft=new`,
    input: INPUT.phieu,
    text: `.question :is(${TEXT})`,
    next: "[data-nav=next]",
    question: (name) => `[data-question="${name}"]`,
  },
  {
    name: "SurveyJS", server: peer,
    url: (form) => `${peer.url}/?form=${formParam(form)}`,
    input: INPUT.SurveyJS,
    text: `.sd-question :is(${TEXT})`,
    next: ".sd-navigation__next-btn",
    question: (name) => `[data-name="${name}"]`,
  },
];

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
const loadBefore = os.loadavg()[0];

// In every page, from its first line: note when the first question accepts
// input (visible, enabled) in a frame, as performance.now(), i.e. ms since
// navigation start. phieu's wasm exports (its memory) are kept as well.
function watchUsable(selector) {
  const check = () => {
    if (window.__usable) return;
    for (const el of document.querySelectorAll(selector)) {
      if (!el.matches(":disabled") && el.getClientRects().length > 0) {
        window.__usable = performance.now();
        observer.disconnect();
        clearInterval(timer);
        return;
      }
    }
  };
  let queued = false;
  const observer = new MutationObserver(() => {
    if (!queued) (queued = true), requestAnimationFrame(() => ((queued = false), check()));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const timer = setInterval(check, 50);
  addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm));
}

// Runs fn({ page, cdp }) in a fresh browser profile (a phone seen for the
// first time), closing it and the slow link afterwards whatever happens.
async function withPage(engine, fn) {
  const context = await browser.newContext({
    ...PHONE,
    serviceWorkers: engine.blockWorker ? "block" : "allow",
  });
  try {
    await context.addInitScript(watchUsable, engine.input);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    return await fn({ page, cdp });
  } finally {
    engine.server.shape(null);
    await context.close();
  }
}
// A measurement that fails (a renderer without the expected hooks, a
// timeout) is reported as failed, and the others go on.
const failures = [];
async function attempt(label, fn) {
  try {
    return await fn();
  } catch (e) {
    const why = String(e.message || e).split("\n")[0];
    say(`${label}: failed: ${why}`);
    failures.push(`${label}: ${why}`);
    return null;
  }
}
const throttle = (cdp) => cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
const usable = (page) =>
  page.waitForFunction(() => window.__usable, null, { polling: 100, timeout: 180000 }).then((h) => h.jsonValue());
const serviceWorkerInControl = (page) =>
  page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
  });
const pathOf = (url) => new URL(url).pathname;

// ---------------------------------------------------------------- 1. bytes
// What the page itself requested before its first question was usable,
// each file compressed (gzip -9, brotli 11); and for phieu, what its service
// worker downloads besides (the offline copy, in the background).
const TYPES = ["JS", "wasm", "CSS", "form JSON", "other"];
const typeOf = (p) =>
  p.endsWith(".js") ? "JS" : p.endsWith(".wasm") ? "wasm" : p.endsWith(".css") ? "CSS"
    : /\/forms\/(?!index\.json).*\.json$/.test(p) ? "form JSON" : "other";
const bytes = (engine, form) => withPage(engine, async ({ page, cdp }) => {
  engine.server.log.length = 0;
  await page.goto(engine.url(form));
  await usable(page);
  const urls = await page.evaluate(() => [
    location.href,
    ...performance.getEntriesByType("resource").filter((e) => e.startTime <= window.__usable).map((e) => e.name),
  ]);
  const fileOf = new Map(engine.server.log.filter((e) => e.file).map((e) => [e.path, e.file]));
  const sum = () => Object.fromEntries(TYPES.map((t) => [t, { raw: 0, gz: 0, br: 0, files: [] }]));
  const counted = sum();
  for (const url of urls) {
    const file = fileOf.get(pathOf(url));
    if (!file) continue;
    const s = sizes(file), t = counted[typeOf(pathOf(url))];
    t.raw += s.raw, t.gz += s.gz, t.br += s.br, t.files.push(path.basename(file));
  }
  let worker = { gz: 0, br: 0, files: 0 };
  if (engine.name === "phieu") {
    await serviceWorkerInControl(page);
    for (const e of engine.server.log) if (e.file) fileOf.set(e.path, e.file);
    const served = engine.server.log.filter((e) => e.file && e.status === 200).map((e) => e.path);
    for (const url of urls) if (served.includes(pathOf(url))) served.splice(served.indexOf(pathOf(url)), 1);
    for (const p of served) {
      const s = sizes(fileOf.get(p));
      worker.gz += s.gz, worker.br += s.br, worker.files++;
    }
  }
  return { types: counted, worker };
});

// ---------------------------------------------------------------- 2, 3. start-up
// Cold: a fresh browser profile, the slow link and a 4x slower CPU, from
// navigation until the first question accepts input.
const coldStart = (engine, form) => withPage(engine, async ({ page, cdp }) => {
  await throttle(cdp);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  engine.server.shape(SLOW);
  await page.goto(engine.url(form), { waitUntil: "commit", timeout: 180000 });
  return await usable(page);
});
// Warm: the same profile opened again after a first visit, on the same slow
// link and CPU: phieu from its service worker's copy, SurveyJS from the HTTP
// cache (scripts and styles may be kept an hour; the page and the form are
// revalidated, as they are by phieu's worker).
const warmStarts = (engine, form) => withPage(engine, async ({ page, cdp }) => {
  await page.goto(engine.url(form));
  await usable(page);
  if (engine.name === "phieu") await serviceWorkerInControl(page);
  await throttle(cdp);
  engine.server.shape(SLOW);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(engine.url(form), { waitUntil: "commit", timeout: 180000 });
    times.push(await usable(page));
  }
  return times;
});

// ---------------------------------------------------------------- 4. keystrokes
// Real key events into q1 of the generated form, at 4x slower CPU: "9", then
// Backspace, and so on, so that q1's dependents appear and disappear on every
// key. From the key event's time stamp to (a) the DOM mutation after which
// all the watched dependents are shown (or all hidden), (b) the next frame
// painted after that.
const keystrokes = (engine) => withPage(engine, async ({ page, cdp }) => {
  await page.goto(engine.url(BIG));
  await usable(page);
  await page.locator(`${engine.question("q1")} input`).click();
  await throttle(cdp);
  await page.evaluate(instrumentKeys, toggled.map(engine.question));
  for (let i = 0; i < KEYS + WARMUP; i++) {
    await page.keyboard.press(i % 2 === 0 ? "9" : "Backspace");
    await page.waitForFunction((n) => window.__keys.length >= n, i + 1, { polling: 20, timeout: 20000 });
    await page.waitForTimeout(30);
  }
  const keys = (await page.evaluate(() => window.__keys)).slice(WARMUP);
  return { dom: keys.map((k) => k.dom), paint: keys.map((k) => k.paint) };
});

// ---------------------------------------------------------------- 5. pages
// "Next" on each page of the generated form, at 4x slower CPU: from the click
// to the frame painted with the next page's first question on screen.
function instrumentNext(first) {
  window.__nav = [];
  addEventListener("click", (e) => {
    const t0 = e.timeStamp, want = first[window.__nav.length];
    const frame = () => {
      const el = document.querySelector(want);
      if (el && el.getClientRects().length > 0) {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.__nav.push(performance.now() - t0);
        channel.port2.postMessage(0);
      } else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, true);
}
const navigation = (engine) => withPage(engine, async ({ page, cdp }) => {
  await page.goto(engine.url(BIG));
  await usable(page);
  if ((await page.locator(engine.next).count()) === 0) return "no next button";
  await throttle(cdp);
  await page.evaluate(instrumentNext, big.pages.slice(1).map((p) => engine.question(p.elements[0].name)));
  for (let i = 1; i < big.pages.length; i++) {
    await page.locator(engine.next).first().click();
    await page.waitForFunction((n) => window.__nav.length >= n, i, { polling: 20, timeout: 20000 });
  }
  return await page.evaluate(() => window.__nav);
});

// ---------------------------------------------------------------- 6. memory
// After the form is on screen and the first five text fields are filled in:
// the JS heap after a forced garbage collection, phieu's wasm memory, DOM nodes.
const memory = (engine, form) => withPage(engine, async ({ page, cdp }) => {
  await page.goto(engine.url(form));
  await usable(page);
  const fields = page.locator(engine.text);
  let filled = 0;
  for (let i = 0; i < (await fields.count()) && filled < 5; i++) {
    const f = fields.nth(i);
    if ((await f.isVisible()) && (await f.isEditable())) await f.fill(form === BIG ? "9" : "12"), filled++;
  }
  await page.waitForTimeout(500);
  await cdp.send("HeapProfiler.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer.byteLength ?? 0);
  return { heap: metrics.JSHeapUsedSize, wasm, nodes: metrics.Nodes, filled };
});

// ---------------------------------------------------------------- 7. installable?
// Chromium's own check, in a real (not incognito) profile once phieu's
// service worker is in control: Lighthouse 12 dropped its PWA category.
async function installability() {
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(work, "profile-")), { executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await serviceWorkerInControl(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    const { errors } = await cdp.send("Page.getAppManifest");
    return [...installabilityErrors.map((e) => e.errorId), ...errors.map((e) => e.message)];
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- 8. Lighthouse
// Lighthouse 12 (mobile preset, simulated throttling) in its own Chromium.
function lighthouse(url) {
  const cli = path.join(root, "node_modules/lighthouse/cli/index.js");
  const flags = [url, "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance,accessibility,best-practices", `--chrome-flags=${[...FLAGS, "--headless=new"].join(" ")}`];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...flags], { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      try {
        const lhr = JSON.parse(out);
        const categories = Object.values(lhr.categories).map((c) => {
          const failing = c.auditRefs
            .map((r) => ({ ...lhr.audits[r.id], weight: r.weight }))
            .filter((a) => a.score !== null && a.score < 0.9 && !["manual", "informative", "notApplicable"].includes(a.scoreDisplayMode))
            .sort((a, b) => b.weight - a.weight || a.score - b.score);
          return { title: c.title, score: Math.round(c.score * 100), failing };
        });
        resolve({ url, categories });
      } catch {
        resolve({ url, error: `lighthouse exited ${code}: ${err.trim().split("\n").slice(-3).join(" ")}` });
      }
    });
  });
}

// ---------------------------------------------------------------- run
const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => { const b = sorted(a), n = b.length; return n % 2 ? b[(n - 1) / 2] : (b[n / 2 - 1] + b[n / 2]) / 2; };
const pct = (a, f) => sorted(a)[Math.min(a.length - 1, Math.ceil(f * a.length) - 1)];
const some = (a) => Array.isArray(a) && a.length > 0;
const results = { bytes: {}, cold: {}, warm: {}, keys: {}, nav: {}, memory: {} };
for (const e of ["phieu", "SurveyJS", "phieu, service worker blocked"]) for (const k of Object.keys(results)) results[k][e] = {};

for (const form of FORMS) for (const e of ENGINES) {
  say(`bytes: ${e.name}, ${form}`);
  results.bytes[e.name][form] = await attempt(`bytes, ${e.name}, ${form}`, () => bytes(e, form));
}
// Cold start on the first form only unless asked (it is mostly the download,
// the same for every form), phieu also without its service worker's download;
// warm start on every form.
const COLD_FORMS = args.includes("--cold-all") ? FORMS : FORMS.slice(0, 1);
const noWorker = { ...ENGINES[0], name: "phieu, service worker blocked", blockWorker: true };
for (const form of FORMS) {
  for (let run = 1; run <= RUNS && COLD_FORMS.includes(form); run++) {
    // Alternating, so that a busy moment on the machine hits each.
    for (const e of form === FORMS[0] ? [...ENGINES, noWorker] : ENGINES) {
      const ms = await attempt(`cold start, ${e.name}, ${form}`, () => coldStart(e, form));
      if (ms !== null) (results.cold[e.name][form] ??= []).push(ms);
      say(`cold start ${run}/${RUNS}: ${e.name}, ${form}: ${ms?.toFixed(0)} ms`);
    }
  }
  for (const e of ENGINES) {
    const times = (results.warm[e.name][form] = await attempt(`warm start, ${e.name}, ${form}`, () => warmStarts(e, form)));
    say(`warm start: ${e.name}, ${form}: ${times?.map((t) => t.toFixed(0)).join(", ")} ms`);
  }
}
for (const e of ENGINES) {
  const keys = (results.keys[e.name] = await attempt(`keystrokes, ${e.name}`, () => keystrokes(e)));
  say(`keystrokes: ${e.name}: p95 ${keys && pct(keys.paint, 0.95).toFixed(1)} ms`);
  const nav = (results.nav[e.name] = await attempt(`next page, ${e.name}`, () => navigation(e)));
  say(`next page: ${e.name}: ${some(nav) ? median(nav).toFixed(0) + " ms" : nav}`);
  for (const form of FORMS) results.memory[e.name][form] = await attempt(`memory, ${e.name}, ${form}`, () => memory(e, form));
}
const install = await attempt("installability", installability);
const chromiumVersion = browser.version();
await browser.close();
const loadAfter = os.loadavg()[0];
const reports = [];
if (LIGHTHOUSE) {
  for (const url of [`${app.url}/`, ENGINES[0].url(FORMS[0]), ENGINES[1].url(FORMS[0])]) {
    say(`lighthouse: ${url}`);
    reports.push(await lighthouse(url));
  }
}
await app.close();
await peer.close();
fs.rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------- the report
const FAILED = "failed";
const KB = (b) => `${(b / 1000).toFixed(1)} kB`;
const MB = (b) => `${(b / 1e6).toFixed(1)} MB`;
const ms = (a) => (some(a) ? `${median(a).toFixed(0)} ms (${Math.min(...a).toFixed(0)}–${Math.max(...a).toFixed(0)})` : FAILED);
const ratio = (a, b) => (a > 0 && b > 0 ? (a / b).toFixed(2) : "–");
const rows = [];
const row = (metric, form, p, s, r) => rows.push([metric, form, p, s, r]);
const B = results.bytes;
const payload = (x, k = "gz") => (x ? ["JS", "wasm", "CSS", "form JSON"].reduce((n, t) => n + x.types[t][k], 0) : NaN);
const payloadText = (x, k) => (x ? KB(payload(x, k)) : FAILED);
for (const form of FORMS) {
  const p = B.phieu[form], s = B.SurveyJS[form];
  row("download before the first question: JS + wasm + CSS + form JSON, gzip", form, payloadText(p, "gz"), payloadText(s, "gz"), ratio(payload(p), payload(s)));
  row("same, brotli", form, payloadText(p, "br"), payloadText(s, "br"), ratio(payload(p, "br"), payload(s, "br")));
}
const first = FORMS[0];
if (B.phieu[first] && B.SurveyJS[first]) {
  for (const t of TYPES) {
    const p = B.phieu[first].types[t], s = B.SurveyJS[first].types[t];
    row(`of which ${t}, gzip / brotli`, first, `${KB(p.gz)} / ${KB(p.br)}`, `${KB(s.gz)} / ${KB(s.br)}`, ratio(p.gz, s.gz));
  }
  const w = B.phieu[first].worker;
  row("service worker's offline copy, fetched once the app is on screen (gzip)", first, `${KB(w.gz)} (${w.files} files)`, "–", "");
}
for (const form of COLD_FORMS) {
  const p = results.cold.phieu[form], s = results.cold.SurveyJS[form];
  row(`cold start, median (min–max of ${RUNS})`, form, ms(p), ms(s), some(p) && some(s) ? ratio(median(p), median(s)) : "–");
}
const blocked = results.cold[noWorker.name][FORMS[0]], s0 = results.cold.SurveyJS[FORMS[0]];
row("cold start, phieu's service worker blocked (what its offline copy costs)", FORMS[0], ms(blocked), ms(s0), some(blocked) && some(s0) ? ratio(median(blocked), median(s0)) : "–");
for (const form of FORMS) {
  const p = results.warm.phieu[form], s = results.warm.SurveyJS[form];
  row(`warm start, median (min–max of ${RUNS})`, form, ms(p), ms(s), some(p) && some(s) ? ratio(median(p), median(s)) : "–");
}
const K = results.keys;
for (const [label, key] of [["keystroke in q1 → its dependents updated in the DOM", "dom"], ["keystroke in q1 → next frame painted", "paint"]]) {
  for (const [q, f] of [["p50", 0.5], ["p95", 0.95]]) {
    const p = K.phieu && pct(K.phieu[key], f), s = K.SurveyJS && pct(K.SurveyJS[key], f);
    const text = (x) => (x ? `${x.toFixed(1)} ms` : FAILED);
    row(`${label}, ${q} (${KEYS} keys)`, BIG, text(p), text(s), ratio(p, s));
  }
}
const N = results.nav, navText = (n) => (some(n) ? ms(n) : n === "no next button" ? "n/a: all pages on one screen" : FAILED);
row(`next page, median (min–max of ${big.pages.length - 1})`, BIG, navText(N.phieu), navText(N.SurveyJS),
  some(N.phieu) && some(N.SurveyJS) ? ratio(median(N.phieu), median(N.SurveyJS)) : "");
for (const form of FORMS) {
  const p = results.memory.phieu[form], s = results.memory.SurveyJS[form];
  row("memory: JS heap + wasm memory", form, p ? `${MB(p.heap)} + ${MB(p.wasm)}` : FAILED, s ? `${MB(s.heap)}` : FAILED, p && s ? ratio(p.heap + p.wasm, s.heap + s.wasm) : "–");
  row("DOM nodes", form, p ? String(p.nodes) : FAILED, s ? String(s.nodes) : FAILED, p && s ? ratio(p.nodes, s.nodes) : "–");
}
const table = [
  "| metric | form | phieu | SurveyJS | phieu / SurveyJS |",
  "|---|---|--:|--:|--:|",
  ...rows.map((r) => `| ${r.join(" | ")} |`),
].join("\n");

const verdict = (ok) => (ok ? "**met**" : "**missed**");
const targets = [];
for (const form of FORMS) {
  const r = payload(B.phieu[form]) / payload(B.SurveyJS[form]);
  targets.push(`- download ≤ 1/4 of SurveyJS's (${form}): ${r.toFixed(2)}, ${Number.isNaN(r) ? FAILED : verdict(r <= 0.25)}`);
}
for (const form of COLD_FORMS) {
  const p = results.cold.phieu[form], s = results.cold.SurveyJS[form];
  const r = some(p) && some(s) ? median(p) / median(s) : NaN;
  targets.push(`- cold start ≤ 1/2 of SurveyJS's (${form}): ${r.toFixed(2)}, ${Number.isNaN(r) ? FAILED : verdict(r <= 0.5)}`);
}
if (K.phieu && K.SurveyJS) {
  const p95 = pct(K.phieu.dom, 0.95), s95 = pct(K.SurveyJS.dom, 0.95);
  const painted = pct(K.phieu.paint, 0.95);
  targets.push(`- keystroke p95 ≤ SurveyJS's and ≤ 16 ms (input to DOM updated): ${p95.toFixed(1)} ms against ${s95.toFixed(1)} ms, ${verdict(p95 <= s95 && p95 <= 16)}` +
    ` (to the frame painted: ${painted.toFixed(1)} ms, ${painted <= 16 ? "also" : "not"} within 16 ms)`);
} else targets.push(`- keystroke p95 ≤ SurveyJS's and ≤ 16 ms: ${FAILED}`);
if (failures.length) targets.push("", "Failed measurements:", ...failures.map((f) => `- ${f}`));

const cpu = os.cpus();
const git = (...a) => { try { return execFileSync("git", a, { cwd: root, encoding: "utf8" }).trim(); } catch { return "?"; } };
const machine = [
  `- date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
  `- CPU: ${cpu[0].model}, ${cpu.length} cores; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()}`,
  `- Chromium ${chromiumVersion} (${CHROMIUM}), Node ${process.version}, survey-core ${pkgVersion("survey-core")} + survey-js-ui ${pkgVersion("survey-js-ui")}, Lighthouse ${pkgVersion("lighthouse")}`,
  `- phieu: dist/ of commit ${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "src", "core", "index.html", "public") ? " with uncommitted changes" : ""}`,
  `- 1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (above ${cpu.length} means something else was using the CPU too)`,
  `- run time: ${((Date.now() - started) / 1000).toFixed(0)} s`,
].join("\n");
function pkgVersion(name) {
  try { return JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version; } catch { return "?"; }
}

const conditions = [
  `- Phone: viewport 360×740 at 2×, touch, locale vi-VN, in Chromium; CPU ${CPU}× slower (Emulation.setCPUThrottlingRate) for start-up, keystrokes and page changes.`,
  `- Slow link for start-up: ${SLOW.kbps} kbit/s shared by all responses, ${SLOW.rttMs} ms round trip before each, played by the benchmark's own server`,
  `  so that it holds for the service worker's requests too (Chromium's network emulation leaves those out). Both engines served gzip -9 by that server;`,
  `  scripts, styles and wasm with max-age=3600, pages and forms revalidated (no-cache + ETag).`,
  `- Cold start: a fresh profile, cache disabled, on ${COLD_FORMS.join(", ")} (--cold-all for every form); warm start: the same profile opened again`,
  `  (phieu from its service worker's copy, SurveyJS from the HTTP cache). Time from navigation start to the frame in which the first question accepts input.`,
  `- Keystrokes: "9" and Backspace in turn into q1 of ${BIG}, which shows or hides its dependents on page 1 (${toggled.length} of them watched), after ${WARMUP} warm-up keys.`,
  `- SurveyJS: survey-core ${pkgVersion("survey-core")} with survey-js-ui ${pkgVersion("survey-js-ui")} (the newest UI in the registry; it warns of the version difference),`,
  `  UMD bundles and the theme without its web font (bench/surveyjs/index.html), textUpdateMode "onTyping" so that answers reach the logic as typed, as in phieu.`,
  `- Forms: ${FORMS.map((f) => (f === BIG ? `${BIG} (generated by bench/gen-form.mjs: 500 questions, 200 conditions, 10 pages; q1 and its 50 dependents on page 1)` : f)).join(", ")}.`,
].join("\n");

let lh = "";
if (reports.length) {
  const cats = ["Performance", "Accessibility", "Best Practices"];
  lh += "| page | " + cats.join(" | ") + " |\n|---|" + cats.map(() => "--:").join("|") + "|\n";
  for (const r of reports) {
    const name = r.url.startsWith(peer.url) ? `SurveyJS form (${FORMS[0]})` : r.url.endsWith("/") ? "phieu home `/`" : `phieu form (${FORMS[0]})`;
    lh += r.error ? `| ${name} | ${r.error} | | |\n` : `| ${name} | ${cats.map((c) => r.categories.find((x) => x.title === c)?.score ?? "–").join(" | ")} |\n`;
  }
  for (const r of reports.filter((r) => !r.error && !r.url.startsWith(peer.url))) {
    lh += `\nFailing audits, ${r.url.endsWith("/") ? "phieu home" : "phieu form"} (heaviest first):\n`;
    for (const c of r.categories) {
      for (const a of c.failing.slice(0, 6)) lh += `- ${c.title}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}\n`;
    }
  }
  lh += "\nServed by the benchmark's server (gzip, scripts, styles and wasm cacheable for an hour); `phieu serve` compresses too (gzip or brotli) and keeps hashed files for a year, so its caching audit reads better than this.\n";
} else lh = "Skipped (--no-lighthouse).\n";
const installLine = install === null ? FAILED
  : install.length === 0 ? "installable (no errors from Page.getInstallabilityErrors)"
  : "not installable: " + install.join(", ");

const report = `# phieu against SurveyJS

Written by \`bench/compare.sh\`; see \`bench/README.md\`.

## Machine

${machine}

## Conditions

${conditions}

## Results

${table}

## Targets (issue 6)

${targets.join("\n")}

## Lighthouse

${lh}
PWA: Lighthouse 12 has no PWA category any more; installability of the phieu app, from Chromium's own check after its service worker took control: ${installLine}.
`;
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, report);
console.log(report);
say(`written to ${path.relative(root, OUT)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
