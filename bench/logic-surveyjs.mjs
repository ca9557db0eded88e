// SurveyJS's side of bench/logic.sh: the same form in survey-core under Node.
// Prints one JSON line of timings.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { Model } = require("survey-core");

const json = JSON.parse(readFileSync(process.argv[2], "utf8"));
const changes = JSON.parse(readFileSync(process.argv[3], "utf8"));
const now = () => Number(process.hrtime.bigint()) / 1e6;

let t = now();
const survey = new Model(json);
const load = now() - t;

// Full re-evaluation: SurveyJS's own runConditions over the whole form.
for (let i = 0; i < 5; i++) survey.runConditions();
const fulls = [];
for (let i = 0; i < 50; i++) {
  t = now();
  survey.runConditions();
  fulls.push(now() - t);
}
// One answer at a time, as a person types.
const single = [];
for (const [name, value] of changes) {
  t = now();
  survey.setValue(name, value);
  single.push(now() - t);
}
const visible = survey.getAllQuestions().filter((q) => q.isVisible).length;
console.log(JSON.stringify({ load_ms: load, full_ms: fulls, change_ms: single, visible }));
