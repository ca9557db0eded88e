#!/usr/bin/env node
// Input masks, survey-core side: runs survey-core's own mask classes (through
// a text question's maskSettings, as a form gets them) over a corpus made
// here deterministically (a seeded PRNG), and writes every case with its
// result to expected.jsonl. core/tests/mask_diff.rs gives phieu's
// phieu_core::mask the same cases and compares (cargo test -p phieu-core).
//
//   node tests/mask-diff/surveyjs.mjs           rewrite expected.jsonl
//   node tests/mask-diff/surveyjs.mjs --check   exit 1 if it would change
//
// Each line: {"mask": {maskType, maskSettings}, "op", "args", "out"}:
//   masked    args {value}                        out: getMaskedValue (text or null)
//   unmasked  args {text}                         out: getUnmaskedValue (null: undefined; {"error": true}: it throws)
//   stored    args {text}                         out: the question's value after inputValue = text (null: none)
//   input     args {text, start, end, inserted, backward}   out: processInput's [value, caretPosition]
// Sessions of edits start from an empty box and go on from survey-core's own
// results, so the corpus follows what a person typing would see.

process.env.TZ = "UTC";

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const require = createRequire(path.join(REPO, "package.json"));
const { SurveyModel } = require("survey-core");
console.warn = () => {};

function mulberry32(seed) {
  return function () {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(15);
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (n) => Math.floor(rand() * n);

const VN = { decimalSeparator: ",", thousandsSeparator: "." };
const MASKS = {
  numeric: [
    {},
    { ...VN },
    { ...VN, precision: 0 },
    { ...VN, min: 0, max: 1000 },
    { min: -50, max: 50, precision: 1 },
    { allowNegativeValues: false, precision: 3 },
    { thousandsSeparator: "" },
    { min: 10, max: 99999 },
    { ...VN, saveMaskedValue: true },
  ],
  currency: [
    { prefix: "$" },
    { ...VN, suffix: " ₫", precision: 0 },
    { ...VN, prefix: "VND ", suffix: " đ", min: 0, max: 1000000 },
    { prefix: "€ ", precision: 2, allowNegativeValues: false },
  ],
  datetime: [
    { pattern: "dd/mm/yyyy" },
    { pattern: "mm/dd/yyyy" },
    { pattern: "yyyy-mm-dd" },
    { pattern: "HH:MM" },
    { pattern: "HH:MM:ss" },
    { pattern: "hh:MM tt" },
    { pattern: "dd/mm/yyyy HH:MM" },
    { pattern: "dd/mm/yy" },
    { pattern: "d/m/yyyy" },
    { pattern: "dd/mm/yyyy", min: "2000-01-01", max: "2030-12-31" },
    { pattern: "HH:MM", min: "08:00", max: "17:30" },
    { pattern: "dd.mm.yyyy", saveMaskedValue: true },
  ],
  pattern: [
    { pattern: "+84 999 999 999" },
    { pattern: "9999 999 999" },
    { pattern: "(999) 999-9999" },
    { pattern: "aa-9999" },
    { pattern: "##-##-##" },
    { pattern: "\\9\\a 99" },
    { pattern: "999-999", saveMaskedValue: true },
  ],
};

// What is typed: mostly what the mask wants, sometimes not.
const KEYS = {
  numeric: "0123456789012345678901234567890123456789,.-",
  currency: "012345678901234567890123456789,.-$₫",
  datetime: "01234567890123456789012345678901234567890123/:-. apmAPM",
  pattern: "0123456789012345678901234567890123456789abcxyzABZ-() +",
};
const VALUES = {
  numeric: [0, 1, -1, 5, 12, 999, 1000, 1234.5, -1234.56, 0.5, 1234567.891, 1e21, 99999, 100000, "1234.5", "1,234.5", "12,5", "", "abc", -0.25, 50.05],
  currency: [0, 1, 250000, 1234.56, -99.5, 1000001, "250000", "", 0.1, 1999.99],
  datetime: ["2024-12-25", "2024-02-29", "2023-02-29", "1999-01-01", "2024-12-25T10:30", "2024-12-25T00:05:09", "2024-12-25T23:59:59",
    "09:05", "12:00", "00:00", "23:59:59", "1970-01-01T13:45", "", "garbage", "2024-13-01", "2035-06-01", "1990-06-01", "2024-12-25T10:30:00Z"],
  pattern: ["912345678", "84912345678", "+84 912 345 678", "0912345678", "(091) 234-5678", "ab1234", "AB-1234", "12345", "", "9a12", "123-456",
    "abcdef", "a1b2c3", "1"],
};

const lines = [];
function question(maskType, maskSettings) {
  const survey = new SurveyModel({ elements: [{ type: "text", name: "q", maskType, maskSettings }] });
  return survey.getQuestionByName("q");
}
function json(v) {
  if (v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v))) return null;
  return Object.is(v, -0) ? 0 : v;
}
function attempt(f) {
  try {
    return json(f());
  } catch {
    return { error: true };
  }
}

for (const [maskType, list] of Object.entries(MASKS)) {
  for (const maskSettings of list) {
    const mask = { maskType, maskSettings };
    const q = question(maskType, maskSettings);
    const m = q.maskSettings;
    const add = (op, args, out) => lines.push({ mask, op, args, out });
    const texts = new Set([""]);
    for (const value of VALUES[maskType]) add("masked", { value }, attempt(() => m.getMaskedValue(value)));
    // Typing sessions.
    for (let s = 0; s < 6; s++) {
      let text = m.getMaskedValue("") ?? "";
      let caret = 0;
      for (let k = 0; k < 12; k++) {
        const r = rand();
        const len = text.length;
        let args;
        if (r < 0.62) {
          const at = rand() < 0.7 ? Math.min(Math.max(caret, 0), len) : int(len + 1);
          args = { text, start: at, end: at, inserted: pick([...KEYS[maskType]]), backward: false };
        } else if (r < 0.8) {
          const at = rand() < 0.7 ? Math.min(Math.max(caret, 0), len) : int(len + 1);
          args = { text, start: Math.max(at - 1, 0), end: at, inserted: "", backward: true };
        } else if (r < 0.88) {
          const at = int(len + 1);
          args = { text, start: at, end: at + 1, inserted: "", backward: false };
        } else {
          const a = int(len + 1), b = int(len + 1);
          const inserted = rand() < 0.5 ? "" : Array.from({ length: 1 + int(6) }, () => pick([...KEYS[maskType]])).join("");
          args = { text, start: Math.min(a, b), end: Math.max(a, b), inserted, backward: inserted === "" };
        }
        const r2 = m.processInput({
          prevValue: args.text, selectionStart: args.start, selectionEnd: args.end,
          insertedChars: args.inserted === "" ? null : args.inserted, inputDirection: args.backward ? "backward" : "forward",
        });
        add("input", args, [r2.value, r2.caretPosition]);
        text = r2.value ?? "";
        caret = r2.caretPosition;
        if (k % 3 === 2) texts.add(text);
      }
    }
    for (const v of VALUES[maskType]) if (typeof v === "string") texts.add(v);
    for (const text of texts) {
      add("unmasked", { text }, attempt(() => m.getUnmaskedValue(text)));
      const fresh = question(maskType, maskSettings);
      add("stored", { text }, attempt(() => {
        fresh.inputValue = text;
        return fresh.value;
      }));
    }
  }
}

const out = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
const file = path.join(HERE, "expected.jsonl");
if (process.argv.includes("--check")) {
  const same = fs.existsSync(file) && fs.readFileSync(file, "utf8") === out;
  console.log(same ? `mask-diff: expected.jsonl is what survey-core gives (${lines.length} cases)` : "mask-diff: expected.jsonl is out of date; run node tests/mask-diff/surveyjs.mjs");
  process.exit(same ? 0 : 1);
}
fs.writeFileSync(file, out);
const count = {};
for (const l of lines) count[l.mask.maskType] = (count[l.mask.maskType] ?? 0) + 1;
console.log(`mask-diff: wrote ${lines.length} cases to expected.jsonl`, count);
