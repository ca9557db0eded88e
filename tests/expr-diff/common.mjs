// Shared by corpus.mjs, surveyjs.mjs and compare.mjs.

import { fileURLToPath } from "node:url";
import path from "node:path";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "..", "..");
export const CORPUS = path.join(HERE, "corpus.jsonl");

// The fixed clock. Every corpus line carries it as "now"; surveyjs.mjs makes
// `new Date()` and `Date.now()` return it and runs with TZ=UTC, so SurveyJS's
// "local time" is UTC. phieu must do the same: local time == UTC, now == this.
// 2026-11-26 is a Thursday (weekday() == 4).
export const FIXED_NOW = "2026-11-26T10:00:00Z";

// JavaScript value -> JSON value, as the interface specifies:
// undefined -> null, NaN/Infinity -> null, Date -> toISOString() (an invalid
// Date -> null), functions -> null; arrays and plain objects recursively.
export function toJsonValue(v) {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
    case "string":
    case "boolean":
      return v;
    case "function":
    case "symbol":
    case "bigint":
      return null;
  }
  if (v instanceof Date) return isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof String || v instanceof Number || v instanceof Boolean) return toJsonValue(v.valueOf());
  if (Array.isArray(v)) return v.map(toJsonValue);
  const out = {};
  for (const k of Object.keys(v)) out[k] = toJsonValue(v[k]);
  return out;
}

// A short category for a corpus line, for grouping differences: the first
// function called, else the loosest-binding operator present.
export function categorize(expr, surveyOut) {
  if (surveyOut && "error" in surveyOut) return "syntax/error";
  const bare = String(expr)
    .replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, " S ")
    .replace(/\{[^{}]*\}/g, " V ");
  const fn = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(bare);
  if (fn && !/^(and|or|not|negate|contains?|notcontains?|anyof|allof|noneof|power|equal|notequal|less|greater|lessorequal|greaterorequal)$/i.test(fn[1]))
    return "fn:" + fn[1];
  const ops = [
    ["or", /\|\||\bor\b/i],
    ["and", /&&|\band\b/i],
    ["compare", /<=|>=|==|!=|<>|=>|=<|=|<|>|\b(equal|notequal|less|greater|lessorequal|greaterorequal)\b/i],
    ["contains/anyof", /\*=|\b(contains?|notcontains?|anyof|allof|noneof)\b/i],
    ["plus/minus", /[+]|(?<=[\w})\]'"\s])-/],
    ["mul/div/mod", /[*/%]/],
    ["power", /\^|\bpower\b/i],
    ["negate", /!|\bnegate\b/i],
    ["empty", /\b(empty|notempty)\b/i],
    ["array", /\[/],
  ];
  for (const [name, re] of ops) if (re.test(bare)) return "op:" + name;
  if (/\{/.test(expr)) return "ref";
  return "literal";
}
