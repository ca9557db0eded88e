#!/usr/bin/env node
// SurveyJS side of the differential test: reads one JSON object per line on
// stdin, {"expr": "...", "values": {...}, "now": "2026-11-26T10:00:00Z"},
// and writes one line per input line, in order:
//   {"value": <json>}   the result (see toJsonValue in common.mjs), or
//   {"error": "..."}    the expression does not parse (canRun() is false),
//                       the ExpressionRunner threw, or the line is not JSON.
// It never stops on a bad line.
//
// Determinism: TZ is forced to UTC, and the global Date is replaced before
// survey-core is loaded so that `new Date()` and `Date.now()` return the
// line's "now" (default FIXED_NOW). survey-core reads the clock only that way.

process.env.TZ = "UTC"; // Node re-reads TZ when it is assigned.

import { createRequire } from "node:module";
import readline from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FIXED_NOW, REPO, toJsonValue } from "./common.mjs";

const RealDate = globalThis.Date;
let nowMs = RealDate.parse(FIXED_NOW);
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(nowMs);
    else super(...args);
  }
  static now() {
    return nowMs;
  }
}
globalThis.Date = FixedDate;
if (new RealDate(2026, 10, 26).getTimezoneOffset() !== 0) {
  throw new Error("surveyjs.mjs: could not switch to TZ=UTC; run with TZ=UTC");
}

const require = createRequire(path.join(REPO, "package.json"));
const Survey = require("survey-core");
const { ExpressionRunner, ConditionsParser } = Survey;

// SurveyJS warns on stderr about unknown functions and invalid expressions.
console.warn = () => {};

export function setNow(iso) {
  const ms = RealDate.parse(iso ?? FIXED_NOW);
  if (Number.isNaN(ms)) throw new Error("bad \"now\": " + JSON.stringify(iso));
  nowMs = ms;
}

// Evaluates one parsed input object; returns the output object.
export function evaluate(input) {
  if (input === null || typeof input !== "object" || typeof input.expr !== "string")
    return { error: "bad input: expected {\"expr\": string, \"values\": object}" };
  try {
    setNow(input.now);
  } catch (e) {
    return { error: String(e.message) };
  }
  const values = input.values && typeof input.values === "object" ? input.values : {};
  let runner;
  try {
    runner = new ExpressionRunner(input.expr);
  } catch (e) {
    return { error: "SurveyJS threw while parsing: " + e.message };
  }
  if (!runner.canRun()) {
    const p = new ConditionsParser();
    p.parseExpression(input.expr);
    const err = p.error;
    return { error: err ? `syntax error at ${err.at}: ${err.code}` : "does not parse" };
  }
  try {
    return { value: toJsonValue(runner.runValues(values)) };
  } catch (e) {
    return { error: "SurveyJS threw while evaluating: " + e.message };
  }
}

export function evaluateLine(line) {
  let input;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return { error: "bad input line: " + e.message };
  }
  return evaluate(input);
}

const isMain = !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  const flush = () => {
    if (out.length) {
      process.stdout.write(out.join(""));
      out.length = 0;
    }
  };
  rl.on("line", (line) => {
    let res;
    try {
      res = evaluateLine(line);
    } catch (e) {
      res = { error: "internal: " + e.message };
    }
    out.push(JSON.stringify(res) + "\n");
    if (out.length >= 256) flush();
  });
  rl.on("close", flush);
}
