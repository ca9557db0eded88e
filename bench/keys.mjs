// The keystroke measure of bench/compare.mjs alone, for two or more builds of
// the phone app side by side in one run, rounds alternating between them, so
// that a change in the machine's load falls on all of them alike.
//   node bench/keys.mjs [--rounds 5] [--keys 60] [--profile out.cpuprofile] DIST [DIST ...]
// Each DIST is a built dist/ directory (scripts/build.sh); see bench/README.md.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve } from "./serve.mjs";
import { CHROMIUM, CPU, FLAGS, PHONE, instrumentKeys } from "./phone.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, otherwise) => {
  const i = args.indexOf(name);
  if (i < 0) return otherwise;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const ROUNDS = Number(option("--rounds", 5));
const KEYS = Number(option("--keys", 60));
const PROFILE = option("--profile", null);
const WARMUP = 4;
const say = (msg) => process.stderr.write(`keys: ${msg}\n`);
if (args.length === 0) {
  say("usage: node bench/keys.mjs [--rounds 5] [--keys 60] [--profile out.cpuprofile] DIST [DIST ...]");
  process.exit(2);
}

// Each build gets a copy with the generated form in its forms/.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "phieu-keys-"));
const form = execFileSync(process.execPath, [path.join(root, "bench/gen-form.mjs"), "500", "200", "10"]);
const big = JSON.parse(form);
const toggled = big.pages[0].elements.filter((q) => /^\{q1\} > [1-8]$/.test(q.visibleIf || "")).map((q) => `[data-question="${q.name}"]`);
const builds = [];
for (const [i, dist] of args.entries()) {
  const dir = path.join(work, String(i));
  fs.cpSync(dist, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, "forms"), { recursive: true });
  fs.writeFileSync(path.join(dir, "forms/bench-500.json"), form);
  builds.push({ name: dist, server: await serve({ "/": dir }), dom: [], paint: [] });
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
async function run(build, profile) {
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${build.server.url}/?form=${encodeURIComponent("forms/bench-500.json")}&draft=new`);
    await page.locator(`[data-question="q1"] input`).click();
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
    await page.evaluate(instrumentKeys, toggled);
    for (let i = 0; i < KEYS + WARMUP; i++) {
      if (profile && i === WARMUP) await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.start"));
      await page.keyboard.press(i % 2 === 0 ? "9" : "Backspace");
      await page.waitForFunction((n) => window.__keys.length >= n, i + 1, { polling: 20, timeout: 20000 });
      await page.waitForTimeout(30);
    }
    if (profile) fs.writeFileSync(profile, JSON.stringify((await cdp.send("Profiler.stop")).profile));
    const keys = (await page.evaluate(() => window.__keys)).slice(WARMUP);
    build.dom.push(...keys.map((k) => k.dom));
    build.paint.push(...keys.map((k) => k.paint));
  } finally {
    await context.close();
  }
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const load = () => os.loadavg()[0].toFixed(2);
say(`load average ${load()} before`);
for (let r = 0; r < ROUNDS; r++) {
  for (const b of builds) {
    await run(b, PROFILE && r === 0 && b === builds[builds.length - 1] ? PROFILE : null);
    say(`round ${r + 1}: ${b.name}: dom p95 so far ${pct(b.dom, 0.95).toFixed(1)} ms`);
  }
}
console.log(`keystroke in q1 of bench-500, ${ROUNDS} rounds of ${KEYS} keys, CPU ${CPU}x slower, load average ${load()} after`);
console.log("build".padEnd(40) + "dom p50  dom p95  paint p50  paint p95");
for (const b of builds) {
  const f = (xs, p) => pct(xs, p).toFixed(1).padStart(7);
  console.log(b.name.padEnd(40) + `${f(b.dom, 0.5)}  ${f(b.dom, 0.95)}  ${f(b.paint, 0.5).padStart(9)}  ${f(b.paint, 0.95).padStart(9)}`);
}
await browser.close();
for (const b of builds) b.server.close?.();
fs.rmSync(work, { recursive: true, force: true });
process.exit(0);
