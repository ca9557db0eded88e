#!/usr/bin/env node
// SurveyJS side of the logic comparison: runs each case of logic/cases.json
// in survey-core's SurveyModel, as a person would (a question's value set,
// Next and Previous pressed, a paneldynamic's repeat added or removed), and prints one JSON line per case: after each
// step the data, the questions shown, the page and whether the survey is
// complete. logic-phieu runs the same cases natively; logic-compare.mjs
// compares the two.

process.env.TZ = "UTC";

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { HERE, REPO, toJsonValue } from "./common.mjs";

const require = createRequire(path.join(REPO, "package.json"));
const { SurveyModel, ChoicesRestful } = require("survey-core");
console.warn = () => {};

// The options each choice question offers now (without Other, None and
// Select all; a disabled one marked), and each matrix's rows and columns shown.
// With `texts`, each option as `value=text`.
function items(survey, texts) {
  const out = {};
  for (const q of survey.getAllQuestions()) {
    if (q.getType() === "matrixdropdown" || q.getType() === "matrixdynamic") {
      // Each shown row's shown cells (required marked *, disabled marked): reading
      // visibleRows builds the rows, as rendering does, which computes expression cells.
      if (q.getType() === "matrixdropdown") out[q.name + ".rows"] = q.visibleRows.map((r) => String(r.rowName));
      out[q.name + ".cells"] = q.visibleRows.map((r) =>
        r.cells.filter((c) => c.question.isVisible).map((c) => c.column.name + (c.question.isRequired ? "*" : "") + (c.question.isReadOnly ? " (disabled)" : "")),
      );
      continue;
    }
    if (q.visibleChoices && q.getType() !== "matrix") {
      out[q.name] = q.visibleChoices
        .filter((c) => !q.isBuiltInChoice(c))
        .map((c) => String(c.value) + (texts ? "=" + c.text : "") + (c.isEnabled ? "" : " (disabled)"));
    }
    if (q.getType() === "matrix") {
      out[q.name + ".rows"] = q.visibleRows.map((r) => String(r.name));
      out[q.name + ".columns"] = q.visibleColumns.map((c) => String(c.value));
    }
  }
  return out;
}

// `choicesByUrl`: a case's lists, answered at once by address, as a server would.
class ListRequest {
  open(method, url) {
    this.url = url;
  }
  setRequestHeader() {}
  send() {
    const body = ListRequest.lists[this.url];
    Object.assign(this, body === undefined ? { status: 404, statusText: "Not Found", response: "" } : { status: 200, statusText: "OK", response: body });
    this.responseText = this.response;
    this.onload();
  }
}

function inRepeat(survey, key) {
  const steps = key.split("].");
  let at = survey;
  for (const step of steps.slice(0, -1)) {
    const [name, index] = step.split("[");
    const q = at.getQuestionByName(name);
    if (q.panels) at = q.panels[Number(index)];
    else {
      // A matrix's cell, through its row as a person types there (`m[0].a`, or `m[r1].a` by a matrixdropdown's row value).
      const row = q.getType() === "matrixdynamic" ? q.visibleRows[Number(index)] : q.visibleRows.find((r) => String(r.rowName) === index);
      at = { getQuestionByName: (n) => row.getQuestionByColumnName(n) };
    }
  }
  return at.getQuestionByName(steps[steps.length - 1]);
}

export function run(c) {
  ListRequest.lists = c.lists || {};
  globalThis.XMLHttpRequest = ListRequest;
  ChoicesRestful.clearCache();
  const survey = new SurveyModel(c.form);
  // No screen to scroll to a problem on: a matrix cell's error would reach for the DOM.
  survey.onScrollToTop.add((_, options) => {
    options.cancel = true;
  });
  // Each matrix's rows built, as the page shows them: survey-core runs a column's value rules in built rows only.
  survey.getAllQuestions().forEach((q) => q.visibleRows);
  const states = [];
  for (const step of c.steps) {
    if (step.next) {
      survey.nextPage() || (survey.isLastPage && survey.completeLastPage());
    } else if (step.prev) {
      survey.prevPage();
    } else if (step.add) {
      // A repeat (or a matrixdynamic's row) added (`m`, or `m[0].inner`), or removed (with `index`), as the buttons do.
      const q = inRepeat(survey, step.add);
      q.getType() === "matrixdynamic" ? q.addRow() : q.addPanel();
    } else if (step.remove) {
      const q = inRepeat(survey, step.remove);
      q.getType() === "matrixdynamic" ? q.removeRow(step.index) : q.removePanel(step.index);
    } else if (step.other) {
      // The "Other" text typed in its box.
      survey.getQuestionByName(step.other).otherValue = step.text;
    } else {
      // `m[0].inner[1].q`: a question in a repeat, set there as a person would.
      const q = step.set.includes("[") ? inRepeat(survey, step.set) : survey.getQuestionByName(step.set);
      if (q) {
        q.value = step.value;
        // A person's reorder marks it so; survey-core clears a ranking whose options change otherwise.
        if (q.getType() === "ranking") q.isValueSetByUser = true;
      }
      else survey.setValue(step.set, step.value);
    }
    const shown = survey.getAllQuestions().filter((q) => q.isVisible && q.page && q.page.isVisible).map((q) => q.name.toLowerCase()).sort();
    const seen = items(survey, !!c.lists);
    states.push({
      data: toJsonValue(survey.data),
      shown,
      page: survey.state === "completed" ? null : survey.currentPage?.name ?? null,
      completed: survey.state === "completed",
      items: seen,
    });
  }
  return { name: c.name, states };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = JSON.parse(fs.readFileSync(path.join(HERE, "logic", "cases.json"), "utf8"));
  for (const c of cases) console.log(JSON.stringify(run(c)));
}
