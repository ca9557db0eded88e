#!/usr/bin/env node
// Runs corpus.jsonl through SurveyJS (surveyjs.mjs, in a child node with
// TZ=UTC) and through phieu (`target/debug/phieu eval --batch`), compares the
// two outputs line by line and prints a summary. Exit 0 when every difference
// is listed in known-differences.json, 1 otherwise, 2 on a harness error.
//
//   node tests/expr-diff/compare.mjs [--verbose] [--limit N]
//
// Environment:
//   PHIEU_BIN   the phieu binary (default <repo>/target/debug/phieu). If it ends
//               in .mjs or .js it is run with node and no arguments (useful to
//               test the harness: PHIEU_BIN=tests/expr-diff/surveyjs.mjs).
//   CORPUS      another corpus file (default tests/expr-diff/corpus.jsonl).
//
// Equality: both outputs are parsed as JSON and compared structurally.
// Two errors are the same whatever their messages say (messages differ
// between implementations); an error and a value differ.
// Numbers are compared exactly after the JSON round trip: + - * / are IEEE
// operations that Rust and JavaScript compute identically, and SurveyJS's
// decimal correction (0.1 + 0.2 gives 0.3, not 0.30000000000000004) must be
// reproduced exactly, which a tolerance would hide. The one exception is an
// expression that raises to a power (^ or power): Math.pow in V8 and powf in
// Rust's libm may differ in the last bit, so there two finite numbers within
// 1e-9 relative (|a-b| <= 1e-9 * max(|a|,|b|)) count as equal.

import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CORPUS as DEFAULT_CORPUS, HERE, REPO, categorize } from "./common.mjs";

const REL_TOLERANCE = 1e-9;
const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const limitArg = args.indexOf("--limit");
const SHOW = limitArg >= 0 ? Number(args[limitArg + 1]) : 40;

const corpusPath = process.env.CORPUS ? path.resolve(process.env.CORPUS) : DEFAULT_CORPUS;
const phieuBin = process.env.PHIEU_BIN ? path.resolve(process.env.PHIEU_BIN) : path.join(REPO, "target", "debug", "phieu");

function fail(msg) {
  console.error("compare.mjs: " + msg);
  console.log("expr-diff: 0 passed, 0 failed");
  process.exit(2);
}

if (!fs.existsSync(corpusPath)) fail(`no corpus at ${corpusPath}; run: node tests/expr-diff/corpus.mjs`);
const corpusText = fs.readFileSync(corpusPath, "utf8");
const inputs = corpusText.split("\n").filter((l) => l.trim() !== "");
// Send exactly the interface's fields, one object per line.
const batch = inputs.map((l) => {
  const o = JSON.parse(l);
  return JSON.stringify({ expr: o.expr, values: o.values ?? {}, now: o.now });
}).join("\n") + "\n";

function run(cmd, cmdArgs, env) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(cmd, cmdArgs, { cwd: REPO, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      resolve({ lines: [], stderr: String(e.message), code: -1 });
      return;
    }
    const out = [];
    const err = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.stdin.on("error", () => {}); // EPIPE when the program exits early
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ lines: [], stderr: String(e.message), code: -1 });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const text = Buffer.concat(out).toString("utf8");
      const lines = text.split("\n");
      if (lines.length && lines[lines.length - 1] === "") lines.pop();
      resolve({ lines, stderr: Buffer.concat(err).toString("utf8"), code: signal ? signal : code });
    });
    child.stdin.end(batch);
  });
}

function parseOut(line) {
  if (line === undefined) return { missing: true };
  try {
    const o = JSON.parse(line);
    if (o && typeof o === "object" && ("value" in o || "error" in o)) return o;
    return { malformed: line };
  } catch {
    return { malformed: line };
  }
}

function sameNumber(a, b, tolerant) {
  if (a === b) return true;
  return tolerant && Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}
function sameJson(a, b, tolerant) {
  if (typeof a === "number" && typeof b === "number") return sameNumber(a, b, tolerant);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i], tolerant));
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson(a[k], b[k], tolerant));
}
function sameOut(s, p, expr) {
  if (s.missing || p.missing || s.malformed !== undefined || p.malformed !== undefined) return false;
  if ("error" in s || "error" in p) return "error" in s && "error" in p;
  return sameJson(s.value, p.value, /\^|power/i.test(expr));
}

// known-differences.json: [{"expr": "<exact expression>" or "/regex/flags", "values"?: {...}, "why": "..."}]
function loadKnown() {
  const file = path.join(HERE, "known-differences.json");
  if (!fs.existsSync(file)) return [];
  let list;
  try {
    list = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail(`known-differences.json is not valid JSON: ${e.message}`);
  }
  if (!Array.isArray(list)) fail("known-differences.json must be a JSON array");
  return list.map((k, i) => {
    if (!k || typeof k.expr !== "string" || typeof k.why !== "string" || !k.why.trim())
      fail(`known-differences.json[${i}] needs a string "expr" and a non-empty "why"`);
    const m = /^\/(.*)\/([a-z]*)$/s.exec(k.expr);
    let test;
    if (m) {
      let re;
      try {
        re = new RegExp(m[1], m[2]);
      } catch (e) {
        fail(`known-differences.json[${i}]: bad regex ${k.expr}: ${e.message}`);
      }
      test = (expr) => re.test(expr);
    } else {
      test = (expr) => expr === k.expr;
    }
    if (k.values !== undefined) {
      // Optionally narrowed to one set of values.
      const want = JSON.stringify(k.values);
      const byExpr = test;
      test = (expr, values) => byExpr(expr) && JSON.stringify(values ?? {}) === want;
    }
    return { ...k, test, used: 0 };
  });
}

const short = (v, n = 160) => {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
};

const known = loadKnown();
const phieuIsScript = /\.(mjs|js)$/.test(phieuBin);
const [sj, ph] = await Promise.all([
  run(process.execPath, [path.join(HERE, "surveyjs.mjs")], { TZ: "UTC" }),
  phieuIsScript ? run(process.execPath, [phieuBin], { TZ: "UTC" }) : run(phieuBin, ["eval", "--batch"], { TZ: "UTC" }),
]);

if (sj.lines.length !== inputs.length)
  fail(`surveyjs.mjs wrote ${sj.lines.length} lines for ${inputs.length} inputs (exit ${sj.code})\n${sj.stderr}`);
if (ph.lines.length !== inputs.length) {
  console.error(`compare.mjs: phieu (${phieuBin}) wrote ${ph.lines.length} lines for ${inputs.length} inputs (exit ${ph.code}).`);
  if (ph.stderr.trim()) console.error("phieu stderr (first 2000 chars):\n" + ph.stderr.slice(0, 2000));
  console.error("Missing lines count as differences.\n");
}

let same = 0;
let knownCount = 0;
const diffs = [];
const byCategory = new Map();
for (let i = 0; i < inputs.length; i++) {
  const input = JSON.parse(inputs[i]);
  const s = parseOut(sj.lines[i]);
  const p = parseOut(ph.lines[i]);
  if (sameOut(s, p, input.expr)) {
    same++;
    continue;
  }
  const k = known.find((k) => k.test(input.expr, input.values));
  if (k) {
    k.used++;
    knownCount++;
    continue;
  }
  const cat = categorize(input.expr, s);
  byCategory.set(cat, (byCategory.get(cat) ?? 0) + 1);
  diffs.push({ line: i + 1, cat, input, s, p });
}

const fmtOut = (o) =>
  o.missing ? "(no line)" : o.malformed !== undefined ? "(malformed) " + short(o.malformed) : "error" in o ? "error: " + short(o.error, 100) : short(JSON.stringify(o.value));

console.log(`expr-diff: corpus ${path.relative(REPO, corpusPath)}, phieu ${path.relative(REPO, phieuBin) || phieuBin}`);
console.log(`total ${inputs.length}, same ${same}, known differences ${knownCount}, different ${diffs.length}`);
if (diffs.length) {
  console.log("\nunexplained differences by category (all):");
  for (const [cat, n] of [...byCategory].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${cat}`);
  const shown = diffs.slice(0, SHOW);
  if (shown.length) console.log(`\nfirst ${shown.length} differences, grouped by category:`);
  const groups = new Map();
  for (const d of shown) {
    if (!groups.has(d.cat)) groups.set(d.cat, []);
    groups.get(d.cat).push(d);
  }
  for (const [cat, ds] of groups) {
    console.log(`\n[${cat}]`);
    for (const d of ds) {
      const vals = Object.keys(d.input.values ?? {}).length ? "  values " + short(d.input.values, 120) : "";
      const now = d.input.now && d.input.now !== "2026-11-26T10:00:00Z" ? "  now " + d.input.now : "";
      console.log(`  line ${d.line}: ${d.input.expr}${vals}${now}`);
      console.log(`    surveyjs: ${fmtOut(d.s)}`);
      console.log(`    phieu:    ${fmtOut(d.p)}`);
    }
  }
}
const unused = known.filter((k) => k.used === 0);
if (unused.length && (verbose || diffs.length === 0))
  console.log(`\nknown differences that matched nothing (remove them?): ${unused.map((k) => JSON.stringify(k.expr)).join(", ")}`);

console.log(`expr-diff: ${same + knownCount} passed, ${diffs.length} failed`);

// Then the logic around the expressions: triggers and value rules, case by
// case, in survey-core's SurveyModel and in phieu's Session (logic-compare.mjs).
let logic = 0;
try {
  execFileSync(process.execPath, [path.join(HERE, "logic-compare.mjs")], { stdio: "inherit" });
} catch (e) {
  logic = e.status ?? 2;
}
process.exit(diffs.length ? 1 : logic);
