// Photos on the phone (issue 14), in Debian's Chromium; see bench/README.md.
//  1. Photo to thumbnail: a 12 MP (4000×3000) JPEG chosen with each engine's
//     button and the file chooser (Playwright's setFiles), from the input's
//     change event until its thumbnail <img> is decoded and on screen, at
//     4× slower CPU, phieu and SurveyJS (its `file` question as it comes:
//     storeDataAsText, preview) alternating in the same run; and what each
//     keeps of the photo against the original.
//  2. Bytes on a bad link: 20 reports with 3 photos each queued offline, then
//     sent through `phieu serve --faults "fail:0.3,drop:0.1,cut:0.3,seed:N"`
//     behind a counting proxy: every request body byte the phone sent against
//     the minimum (each file once, each report once), and the PUTs repeated,
//     with those Chromium resent by itself (no "which do you lack?" between).
//
//   node bench/media.mjs [--runs 5] [--seeds 1,2,3] [--reports 20] [--photos 3]
//                        [--nudge 10] [--faults "fail:0.3,drop:0.1,cut:0.3"]
//                        [--max-wait 1800] [--log PREFIX] [--skip-thumb] [--skip-link]
// --log writes each seed's run, the proxy's log of every request included,
// to PREFIX.SEED.json.
// It needs dist/ (a copy is taken) and target/debug/phieu (or PHIEU_BIN); it
// builds neither.
import { chromium } from "playwright-core";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import zlib from "node:zlib";
import { serve, servePeer } from "./serve.mjs";
import { CHROMIUM, CPU, FLAGS, PHONE, copyDist } from "./phone.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, otherwise) => (args.includes(name) ? args[args.indexOf(name) + 1] : otherwise);
const RUNS = Number(option("--runs", 5));
const SEEDS = String(option("--seeds", "1,2,3")).split(",").map(Number);
const REPORTS = Number(option("--reports", 20));
const PHOTOS = Number(option("--photos", 3));
// Every NUDGE seconds the page is told the connection is back (an `online`
// event), as a flaky link does; 0 leaves the outbox to its own backoff alone.
const NUDGE = Number(option("--nudge", 10));
const FAULTS = option("--faults", "fail:0.3,drop:0.1,cut:0.3");
const bin = process.env.PHIEU_BIN || path.join(root, "target/debug/phieu");
const say = (msg) => process.stderr.write(`media: ${msg}\n`);
const started = Date.now();
const loadBefore = os.loadavg()[0];

// ---------------------------------------------------------------- the app and the form
// A copy of dist/ (another build may replace it meanwhile), with the form.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "phieu-media-"));
const appDir = path.join(work, "app");
await copyDist(root, appDir, say, 20);
const wasmName = fs.readdirSync(appDir).find((f) => f.endsWith(".wasm")) || "?";
// The form of tests/e2e/media.spec.ts, without the signature pad.
const FORM = {
  title: "Ngõ ngập",
  locale: "vi",
  phieu: { id: "ngap", version: "1" },
  elements: [
    { type: "text", name: "what", title: "Mô tả" },
    { type: "file", name: "photos", title: "Ảnh", allowMultiple: true, maxFiles: 3, acceptedTypes: "image/*" },
  ],
};
const formsDir = path.join(appDir, "forms");
fs.mkdirSync(formsDir, { recursive: true });
fs.writeFileSync(path.join(formsDir, "ngap.json"), JSON.stringify(FORM));
const formParam = encodeURIComponent("forms/ngap.json");

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;

/**
 * A photo-like JPEG drawn in the page: a gradient, shapes and a sensor-like
 * noise (±14 per channel), so it encodes to a size near a phone camera's
 * rather than the few hundred kB of a clean drawing. Base64.
 */
function drawPhoto([w, h, hue, quality]) {
  const c = new OffscreenCanvas(w, h);
  const g = c.getContext("2d");
  if (!self.__noise || self.__noise.width !== w || self.__noise.height !== h) {
    const noise = new ImageData(w, h);
    const d = noise.data;
    let x = 0x2545f491;
    for (let i = 0; i < d.length; i += 4) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      d[i] = 128 + ((x & 31) - 16) * 0.9;
      d[i + 1] = 128 + (((x >>> 5) & 31) - 16) * 0.9;
      d[i + 2] = 128 + (((x >>> 10) & 31) - 16) * 0.9;
      d[i + 3] = 255;
    }
    self.__noise = noise;
  }
  g.putImageData(self.__noise, 0, 0);
  g.globalCompositeOperation = "overlay";
  const grad = g.createLinearGradient(0, 0, w, h);
  grad.addColorStop(0, `hsl(${hue} 70% 40%)`);
  grad.addColorStop(1, `hsl(${hue + 90} 70% 70%)`);
  g.fillStyle = grad;
  g.fillRect(0, 0, w, h);
  for (let i = 0; i < 60; i++) {
    g.fillStyle = `hsl(${(hue + i * 13) % 360} 60% 50%)`;
    g.beginPath();
    g.arc((i * 997 + hue * 31) % w, (i * 613 + hue * 17) % h, 40 + (i % 7) * 30, 0, 7);
    g.fill();
  }
  return c.convertToBlob({ type: "image/jpeg", quality }).then(async (blob) => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
}
const photo = async (page, w, h, hue) => Buffer.from(await page.evaluate(drawPhoto, [w, h, hue, 0.92]), "base64");

// ---------------------------------------------------------------- 1. photo to thumbnail
// From the file input's change (input) event to the frame after the first
// thumbnail image is loaded, decoded (img.decode()) and has a box.
function watchThumbnail(selector) {
  return new Promise((resolve, reject) => {
    let t0 = null;
    const mark = (e) => (t0 ??= e.timeStamp);
    document.addEventListener("input", mark, true);
    document.addEventListener("change", mark, true);
    const give = setTimeout(() => reject(new Error("no thumbnail after 180 s")), 180000);
    const look = async () => {
      const img = [...document.querySelectorAll(selector)].find((i) => i.complete && i.naturalWidth > 0 && !i.hidden && i.getClientRects().length > 0);
      if (!img || t0 === null) return requestAnimationFrame(look);
      await img.decode().catch(() => {});
      requestAnimationFrame(() => {
        clearTimeout(give);
        resolve({ ms: performance.now() - t0, src: img.currentSrc || img.src, w: img.naturalWidth, h: img.naturalHeight });
      });
    };
    requestAnimationFrame(look);
  });
}
// Each chosen as a person does: its button, then the phone's file chooser.
// (SurveyJS's input has no change handler of its own: its button sets one
// and opens the chooser, so setInputFiles on the input alone does nothing.)
const THUMB = {
  phieu: { img: ".thumbs li img", button: (page) => page.locator("label.button", { hasText: "Thêm ảnh" }) },
  SurveyJS: { img: ".sd-file img", button: (page) => page.locator(".sd-file__choose-btn") },
};

async function thumbnails(big) {
  const app = await serve({ "/": appDir });
  const peer = await servePeer(root, formsDir);
  const url = { phieu: `${app.url}/?form=${formParam}&draft=new`, SurveyJS: `${peer.url}/?form=${formParam}` };
  const times = { phieu: [], SurveyJS: [] };
  const kept = {};
  for (let run = 0; run < RUNS; run++) {
    for (const name of run % 2 ? ["SurveyJS", "phieu"] : ["phieu", "SurveyJS"]) {
      const context = await browser.newContext({ ...PHONE, serviceWorkers: "block" });
      try {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await page.goto(url[name]);
        const button = THUMB[name].button(page);
        await button.waitFor({ timeout: 60000 });
        await page.waitForTimeout(500); // let the page settle
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
        const shown = page.evaluate(watchThumbnail, THUMB[name].img);
        const [chooser] = await Promise.all([page.waitForEvent("filechooser"), button.click()]);
        await chooser.setFiles({ name: "IMG_0042.jpg", mimeType: "image/jpeg", buffer: big });
        const r = await shown;
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
        times[name].push(r.ms);
        say(`thumbnail ${name} run ${run + 1}: ${r.ms.toFixed(0)} ms (${r.w}×${r.h})`);
        if (!kept[name]) {
          // What each keeps: phieu the stored JPEG (the thumbnail is that
          // file); SurveyJS the answer's data: URL, which it also submits.
          kept[name] =
            name === "phieu"
              ? await page.evaluate(async (src) => {
                  const b = await (await fetch(src)).blob();
                  return { bytes: b.size, type: b.type };
                }, r.src)
              : await page.evaluate(() => {
                  const f = window.survey.data.photos[0];
                  return { bytes: f.content.length, type: f.type, base64: true };
                });
          kept[name].w = r.w;
          kept[name].h = r.h;
        }
      } finally {
        await context.close();
      }
    }
  }
  await app.close();
  await peer.close();
  return { times, kept };
}

// ---------------------------------------------------------------- 2. bytes on a bad link
/** `phieu serve` on a fresh database with the copy of the app. */
async function phieuServe(db, extra = []) {
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", db, "--dist", appDir, "--allow-anonymous", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`phieu serve exited with ${code}: ${err}`)));
  });
  const port = Number(line.match(/127\.0\.0\.1:(\d+)/)[1]);
  const exited = new Promise((r) => child.once("exit", r));
  return { port, stop: () => (child.kill("SIGTERM"), exited), stderr: () => err };
}

/**
 * A proxy in front of `phieu serve` that counts every request body byte it
 * receives from the phone, and notes each request's fate: the status, or
 * "reset" when the server cut the connection before answering (`cut`,
 * `drop`); small JSON answers are kept. The phone sees the server's cut as
 * its own connection reset.
 */
async function countingProxy() {
  const log = [];
  const proxy = { upstream: 0, log };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const e = { method: req.method, path: req.url.split("?")[0], key: req.headers["idempotency-key"] || null, declared: Number(req.headers["content-length"] ?? -1), got: 0, by: /\/sw\.js$/.test(req.headers.referer || "") ? "worker" : "page", status: 0, fate: "", answer: "", at: Date.now() };
    log.push(e);
    const up = http.request({ host: "127.0.0.1", port: proxy.upstream, method: req.method, path: req.url, headers: req.headers, agent });
    req.on("data", (c) => (e.got += c.length));
    req.pipe(up);
    const cut = (why) => {
      if (e.fate) return;
      e.fate = why;
      req.socket.destroy();
    };
    up.on("error", () => cut("reset"));
    req.on("error", () => (e.fate ||= "phone gave up"));
    res.on("close", () => !res.writableFinished && (e.fate ||= "phone gave up"));
    up.on("response", (r) => {
      e.status = r.statusCode;
      res.writeHead(r.statusCode, r.rawHeaders);
      const small = /json/.test(r.headers["content-type"] || "");
      r.on("data", (c) => small && e.answer.length < 20000 && (e.answer += c.toString("latin1")));
      r.on("error", () => cut("reset after status"));
      r.on("end", () => {
        e.fate ||= "answered";
        // Kept readable: the server compresses its JSON answers.
        const enc = r.headers["content-encoding"];
        const raw = Buffer.from(e.answer, "latin1");
        try {
          if (small) e.answer = (enc === "br" ? zlib.brotliDecompressSync(raw) : enc === "gzip" ? zlib.gunzipSync(raw) : raw).toString();
        } catch {}
      });
      r.pipe(res);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.close = () => new Promise((r) => (server.closeAllConnections(), server.close(r), agent.destroy()));
  return proxy;
}

async function badLink(seed, photosOf) {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "phieu-media-db-")), "b.db");
  const admin = execFileSync(bin, ["users", "add", "--db", db, "--name", "bench", "--role", "admin"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
    .split("\n").find((l) => l.startsWith("token: ")).slice(7).trim();
  let server = await phieuServe(db);
  const proxy = await countingProxy();
  proxy.upstream = server.port;
  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  const formUrl = `${proxy.url}/?form=${formParam}&draft=new`;
  const pending = page.getByTestId("outbox-count").locator("strong");
  try {
    await page.goto(formUrl);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
    });
    await context.setOffline(true);
    const queueStart = Date.now();
    for (let r = 0; r < REPORTS; r++) {
      await page.goto(formUrl);
      await page.getByLabel("Mô tả").fill(`báo cáo ${r}`);
      await page.getByLabel("Thêm ảnh").setInputFiles(photosOf(r));
      await page.locator(".thumbs li img:not([hidden])").nth(PHOTOS - 1).waitFor({ timeout: 120000 });
      const submit = page.locator('[data-nav="submit"]');
      for (let i = 0; i < 20 && !(await submit.isVisible()); i++) await page.locator('[data-nav="next"]').click();
      await submit.click();
      await page.getByText("Đã lưu phiếu trên máy.").waitFor({ timeout: 30000 });
    }
    await page.goto(`${proxy.url}/?screen=outbox`);
    await pending.filter({ hasText: String(REPORTS) }).waitFor({ timeout: 30000 });
    say(`seed ${seed}: ${REPORTS} reports queued offline in ${((Date.now() - queueStart) / 1000).toFixed(0)} s`);

    // The bad link: the same database and files, faults on; the proxy keeps the origin.
    await server.stop();
    server = await phieuServe(db, ["--faults", `${FAULTS},seed:${seed}`]);
    proxy.upstream = server.port;
    proxy.log.length = 0;
    const t0 = Date.now();
    await context.setOffline(false);
    const nudger = NUDGE > 0 && setInterval(() => page.evaluate(() => dispatchEvent(new Event("online"))).catch(() => {}), NUDGE * 1000);
    let last = "";
    let stalled = 0;
    for (;;) {
      const left = await pending.textContent().catch(() => "?");
      if (left === "0") break;
      if (left !== last) say(`seed ${seed}: ${left} left after ${((Date.now() - t0) / 1000).toFixed(0)} s, ${proxy.log.length} requests`);
      last = left;
      if (Date.now() - t0 > Number(option("--max-wait", 1800)) * 1000) {
        say(`seed ${seed}: still ${left} waiting after ${option("--max-wait", 1800)} s; given up`);
        stalled = Number(left);
        break;
      }
      await page.waitForTimeout(1000);
    }
    if (nudger) clearInterval(nudger);
    const seconds = (Date.now() - t0) / 1000;

    // What arrived: every report once, every file once and whole.
    const subs = [];
    let cursor = null;
    do {
      const q = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await fetch(`http://127.0.0.1:${server.port}/api/submissions?limit=1000&order=oldest${q}`, { headers: { Authorization: `Bearer ${admin}` } });
      if (!res.ok) throw new Error(`listing answered ${res.status}`);
      const body = await res.json();
      subs.push(...body.submissions.map((r) => r.submission));
      cursor = body.next;
    } while (cursor !== null);
    const named = new Set(subs.flatMap((s) => (s.answers?.photos || []).map((p) => p.sha256)));
    const filesDir = path.join(path.dirname(db), "files");
    const stored = fs.existsSync(filesDir) ? fs.readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.startsWith(".")).length : 0;
    return { seconds, stalled, log: [...proxy.log], reports: subs.length, distinctIds: new Set(subs.map((s) => s.id)).size, named: named.size, stored };
  } finally {
    await context.close();
    await proxy.close();
    await server.stop();
  }
}

/** The proxy's log read as the phone's uploads. */
function tally(run) {
  const log = run.log;
  const sum = (xs) => xs.reduce((a, e) => a + e.got, 0);
  const puts = log.filter((e) => e.method === "PUT" && e.path.includes("/api/files/"));
  const subs = log.filter((e) => e.method === "POST" && e.path.endsWith("/api/submissions"));
  const missing = log.filter((e) => e.method === "POST" && e.path.endsWith("/api/files/missing"));
  const other = log.filter((e) => !puts.includes(e) && !subs.includes(e) && !missing.includes(e));
  const fileSize = new Map();
  for (const e of puts) fileSize.set(e.path.split("/").pop(), e.declared);
  const reportSize = new Map();
  for (const e of subs) reportSize.has(e.key) || reportSize.set(e.key, e.declared);
  const minimum = [...fileSize.values()].reduce((a, b) => a + b, 0) + [...reportSize.values()].reduce((a, b) => a + b, 0);
  const total = sum(puts) + sum(subs) + sum(missing);
  // Each PUT after the first of its file: after a 503 or after a reset (a
  // cut, or a drop: stored, answer lost; on loopback the phone has sent the
  // whole body either way); sent again with no "which do you lack?" between
  // (not the app's next attempt: Chromium resending on its own); answered
  // 200 "present" (the server had it: bytes for nothing).
  const last = new Map();
  const repeats = { total: 0, after503: 0, afterReset: 0, silent: 0 };
  let present = 0;
  for (const [i, e] of log.entries()) {
    if (!puts.includes(e)) continue;
    const sha = e.path.split("/").pop();
    if (e.status === 200) present++;
    const prev = last.get(sha);
    last.set(sha, i);
    if (prev === undefined) continue;
    repeats.total++;
    if (log[prev].status >= 500) repeats.after503++;
    else if (log[prev].status === 0) repeats.afterReset++;
    if (!log.slice(prev + 1, i).some((x) => missing.includes(x))) repeats.silent++;
  }
  const fates = (xs) => {
    const m = {};
    for (const e of xs) {
      const k = e.status ? String(e.status) : e.fate || "?";
      m[k] = (m[k] || 0) + 1;
    }
    return Object.entries(m).map(([k, v]) => `${k} ${v}`).join(", ");
  };
  return {
    total, minimum, ratio: total / minimum,
    putBytes: sum(puts), subBytes: sum(subs), missingBytes: sum(missing), otherBytes: sum(other),
    files: fileSize.size, fileBytes: [...fileSize.values()].reduce((a, b) => a + b, 0),
    reports: reportSize.size, puts: puts.length, posts: subs.length, asks: missing.length,
    byWorker: log.filter((e) => e.by === "worker" && e.method !== "GET").length,
    repeats, present, fates: { puts: fates(puts), subs: fates(subs), missing: fates(missing) },
  };
}

// ---------------------------------------------------------------- run
let thumbs = null;
const links = [];
{
  const page = await browser.newPage();
  await page.goto("about:blank");
  say("drawing the photos");
  const big = await photo(page, 4000, 3000, 200);
  say(`the 12 MP photo: ${MB(big.length)}`);
  if (!args.includes("--skip-thumb")) thumbs = { ...(await thumbnails(big)), original: big.length };
  if (!args.includes("--skip-link")) {
    const all = [];
    for (let r = 0; r < REPORTS; r++)
      for (let i = 0; i < PHOTOS; i++) all.push({ name: `r${r}-${i}.jpg`, mimeType: "image/jpeg", buffer: await photo(page, 4000, 3000, (r * PHOTOS + i) * 7 + 1) });
    say(`${all.length} photos drawn, ${MB(all.reduce((a, p) => a + p.buffer.length, 0))} in all`);
    await page.close();
    for (const seed of SEEDS) {
      const run = await badLink(seed, (r) => all.slice(r * PHOTOS, (r + 1) * PHOTOS));
      const t = tally(run);
      links.push({ seed, run, t });
      if (option("--log")) fs.writeFileSync(`${option("--log")}.${seed}.json`, JSON.stringify({ seed, ...run }, null, 1));
      say(`seed ${seed}: ratio ${t.ratio.toFixed(2)}, ${t.repeats.total} PUTs repeated, ${run.seconds.toFixed(0)} s`);
    }
  }
}
await browser.close();

// ---------------------------------------------------------------- report
const out = [];
const p = (s = "") => out.push(s);
const spread = (a) => `${Math.min(...a).toFixed(0)}–${Math.max(...a).toFixed(0)}`;
if (thumbs) {
  const { times, kept, original } = thumbs;
  p(`1. Photo to thumbnail: a 4000×3000 JPEG (${MB(original)}), from the file input's change event (the file chooser's setFiles) to its <img> decoded and on screen, CPU ${CPU}× slower, ${RUNS} runs each`);
  p();
  p("| | phieu | SurveyJS | phieu / SurveyJS |");
  p("|---|--:|--:|--:|");
  p(`| median (min–max) | ${median(times.phieu).toFixed(0)} ms (${spread(times.phieu)}) | ${median(times.SurveyJS).toFixed(0)} ms (${spread(times.SurveyJS)}) | ${(median(times.phieu) / median(times.SurveyJS)).toFixed(2)} |`);
  p(`| every run, ms | ${times.phieu.map((t) => t.toFixed(0)).join(", ")} | ${times.SurveyJS.map((t) => t.toFixed(0)).join(", ")} | |`);
  const k = (x) => (x.base64 ? `${MB(x.bytes)} (data: URL in the answer, ${x.w}×${x.h})` : `${MB(x.bytes)} (${x.type}, ${x.w}×${x.h})`);
  p(`| kept on the phone | ${k(kept.phieu)} | ${k(kept.SurveyJS)} | |`);
  p(`| kept / original | ${(kept.phieu.bytes / original).toFixed(3)} | ${(kept.SurveyJS.bytes / original).toFixed(3)} | |`);
  p();
}
if (links.length) {
  p(`2. Bytes on a bad link: ${REPORTS} reports × ${PHOTOS} photos queued offline, then sent through phieu serve --faults "${FAULTS},seed:N"` + (NUDGE ? `, an \`online\` event every ${NUDGE} s` : ", the outbox's own backoff only"));
  p();
  p("| seed | bytes sent (PUT + reports + asks) | minimum (files once + reports once) | ratio | PUTs (files) | repeated PUTs: after a 503 / after a reset | of them resent by Chromium itself | PUTs answered 200 present | report POSTs | time |");
  p("|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|");
  for (const { seed, run, t } of links)
    p(`| ${seed} | ${MB(t.total)} (${MB(t.putBytes)} + ${kB(t.subBytes)} + ${kB(t.missingBytes)}) | ${MB(t.minimum)} | ${t.ratio.toFixed(2)} | ${t.puts} (${t.files}) | ${t.repeats.total}: ${t.repeats.after503} / ${t.repeats.afterReset} | ${t.repeats.silent} | ${t.present} | ${t.posts} | ${run.seconds.toFixed(0)} s |`);
  p();
  for (const { seed, run, t } of links) {
    if (run.stalled) p(`**seed ${seed}: ${run.stalled} reports still waiting when the run gave up (--max-wait); the figures above count what was sent until then**`);
    p(`seed ${seed}: PUT answers ${t.fates.puts}; report POSTs ${t.fates.subs}; asks ${t.fates.missing}; ` +
      `${t.byWorker} requests sent by the service worker's Background Sync; ` +
      `arrived: ${run.reports} reports (${run.distinctIds} ids), ${run.named} files named, ${run.stored} files stored; files ${kB(t.fileBytes / Math.max(1, t.files))} on average`);
  }
  p();
}
p(`machine: ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after; ${CHROMIUM} ${browser.version()}; dist/ ${wasmName}; ${path.relative(root, bin)}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(out.join("\n"));
fs.rmSync(work, { recursive: true, force: true });
