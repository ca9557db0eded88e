// Benchmarks of the phone's outbox, in Debian's Chromium against a real
// `phieu serve` (debug build of the tests, or PHIEU_BIN):
//  1. start-up with 2,000 entries in the outbox (in IndexedDB, put there by
//     the app's own move from localStorage at the start before) against an
//     empty one (target: under 50 ms more), and that first start's move;
//  2. how many submissions per second the app delivers, sequentially, beside
//     a plain fetch loop posting the same bodies from the same page (the peer:
//     what the network and the server alone cost).
// Run: node bench/sync.mjs   (after scripts/build.sh)
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir, cpus, totalmem } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { CHROMIUM, FLAGS } from "./phone.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = process.env.PHIEU_BIN || path.join(root, "target/debug/phieu");
const RUNS = 7;

async function serve(extra = []) {
  const db = path.join(mkdtempSync(path.join(tmpdir(), "phieu-bench-")), "b.db");
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", db, "--dist", path.join(root, "dist"), "--allow-anonymous", ...extra], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once("line", resolve));
  return { url: line.split(/\s+/).find((w) => w.startsWith("http://")), stop: () => child.kill() };
}

function entry(i, state = "waiting") {
  return {
    v: 1,
    data: {
      submission: {
        id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        form: { id: "phan-anh-du-luan", version: "1" },
        startedAt: "2026-11-26T01:00:00.000Z",
        completedAt: "2026-11-26T01:05:00.000Z",
        answers: { collaborator: "Nguyễn Thị Lan", district: "ha-dong", opinion: "Bà con phản ánh rác thải ùn ứ ở chợ. ".repeat(8), channels: ["zalo", "facebook"] },
        meta: { locale: "vi", appVersion: "bench" },
      },
      state, attempts: 0, nextAttemptAt: 0, queuedAt: i, lastError: null,
    },
  };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const spread = (a) => `${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)}`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });

// 1. Start-up: time from navigation to the outbox count on screen. The
// entries are written as the release before IndexedDB wrote them (one
// localStorage key each); the first start moves them into IndexedDB (timed
// too: `moved`), and the start after it is the one measured.
async function startup(count) {
  const server = await serve(["--faults", "fail:1"]); // nothing leaves: the outbox stays full
  const times = [];
  const moved = [];
  const shown = (want) =>
    page.evaluate(async (want) => {
      const el = () => document.querySelector("[data-testid=outbox-count] strong");
      while (!el() || el().textContent !== String(want)) await new Promise((r) => setTimeout(r, 1));
      return performance.now();
    }, want);
  let page;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ locale: "vi-VN", serviceWorkers: "block" });
    page = await context.newPage();
    await page.goto(server.url + "/api/health");
    await page.evaluate((entries) => {
      for (const e of entries) localStorage.setItem("phieu/outbox/" + e.data.submission.id, JSON.stringify(e));
    }, Array.from({ length: count }, (_, i) => entry(i)));
    await page.goto(server.url + "/");
    moved.push(await shown(count));
    if (await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("phieu/outbox/")))) throw new Error("not moved to IndexedDB");
    await page.goto(server.url + "/");
    times.push(await shown(count));
    await context.close();
  }
  server.stop();
  return { times, moved };
}

// 2. Delivery: the app sending N queued reports, against a fetch loop.
async function delivery(n) {
  const server = await serve();
  const context = await browser.newContext({ locale: "vi-VN", serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(server.url + "/api/health");
  await context.setOffline(true);
  await page.evaluate((entries) => {
    for (const e of entries) localStorage.setItem("phieu/outbox/" + e.data.submission.id, JSON.stringify(e));
  }, Array.from({ length: n }, (_, i) => entry(i)));
  await page.goto(server.url + "/").catch(() => {});
  await context.setOffline(false);
  await page.goto(server.url + "/");
  const appMs = await page.evaluate(async () => {
    const start = performance.now();
    const el = () => document.querySelector("[data-testid=outbox-count] strong");
    while (!el() || el().textContent !== "0") await new Promise((r) => setTimeout(r, 2));
    return performance.now() - start;
  });
  const loopMs = await page.evaluate(async (bodies) => {
    const start = performance.now();
    for (const b of bodies) {
      await fetch("api/submissions", { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": b.id }, body: JSON.stringify(b) });
    }
    return performance.now() - start;
  }, Array.from({ length: n }, (_, i) => ({ ...entry(n + i).data.submission })));
  await context.close();
  server.stop();
  return { appMs, loopMs };
}

const { times: empty } = await startup(0);
const { times: full, moved } = await startup(2000);
const N = 300;
const { appMs, loopMs } = await delivery(N);
await browser.close();

const row = (label, a, b, unit) => console.log(label.padEnd(44) + a.padStart(10) + "  " + b.padEnd(22) + unit);
console.log("".padEnd(44) + "phieu app".padStart(10) + "  " + "peer / difference".padEnd(22));
row("start-up, median (spread), empty outbox", `${median(empty).toFixed(1)}`, "", "ms");
row("start-up, median (spread), 2,000 entries", `${median(full).toFixed(1)}`, `(+${(median(full) - median(empty)).toFixed(1)} vs empty)`, "ms");
console.log(`  spreads over ${RUNS} runs: empty ${spread(empty)} ms, 2,000 entries ${spread(full)} ms; target: under 50 ms more`);
row("first start, moving 2,000 from localStorage", `${median(moved).toFixed(1)}`, `(${spread(moved)})`, "ms");
row(`delivery of ${N} reports, sequential`, `${((N / appMs) * 1000).toFixed(0)}`, `${((N / loopMs) * 1000).toFixed(0)} fetch loop`, "reports/s");
console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${browser.version ? "" : ""}Chromium ${CHROMIUM}, phieu serve ${path.basename(bin)} (${bin.includes("debug") ? "debug build" : "release build"})`);
