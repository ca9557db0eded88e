// The phone delivering queued reports with the outbox screen open, where each
// delivery changes a row: N reports (default 300) put in the outbox, the app
// started on ?screen=outbox (or SCREEN=/ for the home screen), at 4x slower
// CPU, timed until the count is 0, with the long tasks the page had. Measures
// what a redraw per delivery costs; see bench/README.md.
//   node bench/outbox-screen.mjs DIST [DIST ...]     (N=300, SCREEN=/?screen=outbox)
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { CHROMIUM, FLAGS } from "./phone.mjs";
const bin = process.env.PHIEU_BIN || path.join(path.resolve(import.meta.dirname, ".."), "target/debug/phieu");
async function serve(dist, extra = []) {
  const db = path.join(mkdtempSync(path.join(tmpdir(), "phieu-bench-")), "b.db");
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", db, "--dist", dist, "--allow-anonymous", ...extra], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once("line", resolve));
  return { url: line.split(/\s+/).find((w) => w.startsWith("http://")), stop: () => child.kill() };
}
function entry(i) {
  return { v: 1, data: { submission: { id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, form: { id: "phan-anh-du-luan", version: "1" }, startedAt: "2026-11-26T01:00:00.000Z", completedAt: "2026-11-26T01:05:00.000Z", answers: { collaborator: "Nguyễn Thị Lan", opinion: "Bà con phản ánh. ".repeat(8) }, meta: { locale: "vi", appVersion: "bench" } }, state: "waiting", attempts: 0, nextAttemptAt: 0, queuedAt: i, lastError: null } };
}
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
const N = Number(process.env.N || 300);
for (const dist of process.argv.slice(2)) {
  const server = await serve(dist);
  const context = await browser.newContext({ locale: "vi-VN", serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(server.url + "/api/health");
  await context.setOffline(true);
  await page.evaluate((entries) => { for (const e of entries) localStorage.setItem("phieu/outbox/" + e.data.submission.id, JSON.stringify(e)); }, Array.from({ length: N }, (_, i) => entry(i)));
  await page.goto(server.url + "/?screen=outbox").catch(() => {});
  await context.setOffline(false);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const t0 = Date.now();
  await page.goto(server.url + (process.env.SCREEN || "/?screen=outbox"));
  await page.evaluate(() => { window.__long = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long += e.duration; }).observe({ type: "longtask" }); });
  await page.waitForFunction(() => { const el = document.querySelector("[data-testid=outbox-count] strong"); return el && el.textContent === "0"; }, null, { timeout: 600000, polling: 100 });
  const ms = Date.now() - t0;
  const long = await page.evaluate(() => window.__long);
  console.log(`${dist}: ${N} queued, ${process.env.SCREEN || "outbox screen"} open, all delivered in ${ms} ms (${(N / ms * 1000).toFixed(1)}/s), long tasks ${long.toFixed(0)} ms`);
  await context.close(); server.stop();
}
await browser.close();
