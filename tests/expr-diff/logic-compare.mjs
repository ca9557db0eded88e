#!/usr/bin/env node
// Compares triggers, setValueIf/setValueExpression/resetValueIf,
// defaultValueExpression and the choice logic (choicesVisibleIf,
// choicesEnableIf, choicesFromQuestion, matrix rowsVisibleIf and
// columnsVisibleIf; choicesByUrl read from a case's `lists`, survey-core's
// through a stubbed XMLHttpRequest, each option with its text) between
// survey-core and phieu: every case of
// logic/cases.json (a form and a person's steps) runs in SurveyModel
// (logic-surveyjs.mjs) and in phieu's Session (core/examples/logic_diff.rs);
// after every step the data (once complete: what is submitted), the
// questions shown, the options each choice question offers (and which are
// disabled), each matrix's rows and columns shown, the page and completion
// must be the same. Exit 0 when all are, 1 otherwise, 2 on a harness error.
//
//   node tests/expr-diff/logic-compare.mjs
//
// PHIEU_LOGIC: the phieu side's command (default: cargo run -q -p phieu-core --example logic_diff --).

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { HERE, REPO } from "./common.mjs";
import { run } from "./logic-surveyjs.mjs";

const casesPath = path.join(HERE, "logic", "cases.json");
const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));
let phieuOut;
try {
  const cmd = (process.env.PHIEU_LOGIC ?? "cargo run -q -p phieu-core --example logic_diff --").split(" ");
  phieuOut = execFileSync(cmd[0], [...cmd.slice(1), casesPath], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
} catch (e) {
  console.error("logic-compare.mjs: the phieu side failed: " + e.message);
  console.log("logic-diff: 0 passed, 0 failed");
  process.exit(2);
}
const phieu = phieuOut.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
let passed = 0, failed = 0;
cases.forEach((c, i) => {
  const want = run(c);
  const got = phieu[i];
  const bad = !got || got.error || want.states.findIndex((s, k) => !isDeepStrictEqual(s, got.states[k]));
  if (bad === -1) {
    passed++;
    return;
  }
  failed++;
  console.log(`✗ ${c.name}`);
  if (got?.error) console.log(`  phieu refuses the form: ${got.error.join("; ")}`);
  else {
    console.log(`  after step ${bad + 1} (${JSON.stringify(c.steps[bad])}):`);
    console.log(`    survey-core: ${JSON.stringify(want.states[bad])}`);
    console.log(`    phieu:       ${JSON.stringify(got?.states[bad])}`);
  }
});
console.log(`logic-diff: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
