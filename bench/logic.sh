#!/usr/bin/env bash
# Benchmark: the logic of a 500-question form with 200 conditions, evaluated
# by phieu-core (native, release) and by SurveyJS (survey-core under Node),
# side by side in one run on this machine. Prints a table; not a test.
#   bench/logic.sh [questions] [conditions]
set -euo pipefail
cd "$(dirname "$0")/.."
questions="${1:-500}"; conditions="${2:-200}"
work=$(mktemp -d)
node bench/gen-form.mjs "$questions" "$conditions" > "$work/form.json"
# 300 answers: q1 (50 dependents) every tenth change, others at random.
node -e '
let s = 7; const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const n = Number(process.argv[1]); const out = [];
for (let i = 0; i < 300; i++) {
  const q = i % 10 === 0 ? 1 : 1 + Math.floor(r() * n);
  const v = q % 3 === 0 ? ["a","b","c"][i % 3] : q % 3 === 1 ? (i % 10) : [["x"],["y"],["x","y"]][i % 3];
  out.push(["q" + q, v]);
}
console.log(JSON.stringify(out));' "$questions" > "$work/changes.json"
cargo build -q --release -p phieu-bench
phieu=$(target/release/bench-logic "$work/form.json" "$work/changes.json")
surveyjs=$(node bench/logic-surveyjs.mjs "$work/form.json" "$work/changes.json")
node -e '
const p = JSON.parse(process.argv[1]), s = JSON.parse(process.argv[2]);
const q = (a, f) => { const b = [...a].sort((x, y) => x - y); return b[Math.min(b.length - 1, Math.floor(f * b.length))]; };
const f = (x) => x.toFixed(3).padStart(10);
const row = (label, a, b) => console.log(label.padEnd(34) + f(a) + f(b) + (b > 0 ? (a / b).toPrecision(2).padStart(9) : ""));
console.log("".padEnd(34) + "phieu ms".padStart(10) + "SurveyJS".padStart(10) + "ratio".padStart(9));
row("load + compile", p.load_ms, s.load_ms);
row("full re-evaluation, median", q(p.full_ms, 0.5), q(s.full_ms, 0.5));
row("one answer changed, median", q(p.change_ms, 0.5), q(s.change_ms, 0.5));
row("one answer changed, p95", q(p.change_ms, 0.95), q(s.change_ms, 0.95));
const ev = p.evaluated; const max = Math.max(...ev);
console.log(`phieu: ${p.rules} rules; a change evaluated ${q(ev, 0.5)} of them at the median, ${max} at most (q1 has 50 dependents)`);
console.log(`visible questions at the end: phieu ${p.visible}, SurveyJS ${s.visible}` + (p.visible === s.visible ? " (same)" : " (DIFFERENT)"));
' "$phieu" "$surveyjs"
echo "machine: $(nproc) cores, $(node -v), $(rustc --version), phieu native (the phone runs it as wasm)"
rm -rf "$work"
