// The committed JSON Schema accepts every example form and rejects what
// phieu rejects structurally (an unknown question type, a bad property type).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";

const root = path.resolve(import.meta.dirname, "../..");
const schema = JSON.parse(readFileSync(path.join(root, "schema/form.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

const forms = readdirSync(path.join(root, "forms")).filter((f) => f.endsWith(".json") && f !== "index.json");

for (const file of forms) {
  test(`forms/${file} matches the schema and points at it`, () => {
    const form = JSON.parse(readFileSync(path.join(root, "forms", file), "utf8"));
    assert.equal(form.$schema, "../schema/form.schema.json");
    assert.ok(validate(form), JSON.stringify(validate.errors, null, 2));
  });
}

test("an unknown question type is refused", () => {
  const form = { elements: [{ type: "location", name: "s" }] };
  assert.equal(validate(form), false);
});

test("a wrongly typed property is refused, an unknown one is allowed", () => {
  assert.equal(validate({ elements: [{ type: "text", name: "a", isRequired: "yes" }] }), false);
  assert.equal(validate({ elements: [{ type: "rating", name: "r", rateMax: "ten" }] }), false);
  assert.ok(validate({ elements: [{ type: "text", name: "a", titleLocation: "left" }] }));
});

test("matrix columns are checked: their cellType and totalType", () => {
  const m = (column) => ({ elements: [{ type: "matrixdynamic", name: "m", rowCount: 1, columns: [column] }] });
  assert.ok(validate(m({ name: "a", cellType: "text", inputType: "number", totalType: "sum" })));
  assert.equal(validate(m({ name: "a", cellType: "ranking" })), false);
  assert.equal(validate(m({ name: "a", totalType: "median" })), false);
  assert.equal(validate(m({ title: "no name" })), false);
});
