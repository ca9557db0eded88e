// One cold start of each engine on the slow link and CPU of compare.mjs,
// request by request: when each file was asked for and when its last byte
// left the server, beside the moment the first question accepted input.
// For finding what a cold start waits on; not a measurement to quote.
//   node bench/waterfall.mjs [form]      (default phan-anh-du-luan; needs dist/)
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve } from "./serve.mjs";
import { CHROMIUM, CPU, FLAGS, INPUT, PHONE, SLOW } from "./phone.mjs";

const root = path.resolve(import.meta.dirname, "..");
const form = process.argv[2] || "phan-anh-du-luan";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "phieu-waterfall-"));
fs.cpSync(path.join(root, "dist"), work, { recursive: true });
fs.cpSync(path.join(root, "forms"), path.join(work, "forms"), { recursive: true });
const app = await serve({ "/": work });
const peer = await serve({
  "/": path.join(root, "bench/surveyjs"),
  "/forms/": path.join(root, "forms"),
  "/node_modules/": path.join(root, "node_modules"),
});
const param = encodeURIComponent(`forms/${form}.json`);
const engines = [
  { name: "phieu", server: app, url: `${app.url}/?form=${param}&draft=new`, input: INPUT.phieu },
  { name: "SurveyJS", server: peer, url: `${peer.url}/?form=${param}`, input: INPUT.SurveyJS },
];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
for (const e of engines) {
  const context = await browser.newContext(PHONE);
  await context.addInitScript((selector) => {
    const timer = setInterval(() => {
      for (const el of document.querySelectorAll(selector))
        if (!el.matches(":disabled") && el.getClientRects().length > 0) return (window.__usable = performance.now()), clearInterval(timer);
    }, 20);
  }, e.input);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  e.server.log.length = 0;
  e.server.shape(SLOW);
  const t0 = Date.now();
  await page.goto(e.url, { waitUntil: "commit", timeout: 180000 });
  const usable = await page.waitForFunction(() => window.__usable, null, { timeout: 180000 }).then((h) => h.jsonValue());
  const nav = await page.evaluate(() => performance.timeOrigin);
  e.server.shape(null);
  console.log(`\n${e.name}: first question usable at ${usable.toFixed(0)} ms`);
  console.log("  asked    done   bytes  path");
  for (const r of e.server.log) {
    const at = (t) => (t ? String(Math.round(t - nav)).padStart(6) : "     –");
    console.log(`${at(r.time)}  ${at(r.done)}  ${String(r.sent).padStart(6)}  ${r.path}`);
  }
  void t0;
  await context.close();
}
await browser.close();
await app.close();
await peer.close();
fs.rmSync(work, { recursive: true, force: true });
