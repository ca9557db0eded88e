// A boolean's valueTrue and valueFalse (issue 15) at 360×740: the answer is
// stored as SurveyJS stores it (a string or a number, in a matrix cell too),
// rules read it as stored, the review says Yes/No or the labels, the CSV
// holds what was stored, and the server, which checks reports against the
// same form, takes those values and refuses true and false.
import { test, expect } from "@playwright/test";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PhieuServer } from "./server";
import { submitForm, expectAccessible } from "./fill";

const form = {
  title: "Đồng ý",
  locale: "vi",
  phieu: { id: "dong-y", version: "1" },
  elements: [
    { type: "boolean", name: "agree", title: "Người dân đồng ý?", valueTrue: "yes", valueFalse: "no" },
    { type: "comment", name: "why", title: "Vì sao không?", visibleIf: "{agree} = 'no'" },
    // survey-core 2's checkbox look of a boolean stores the same values.
    { type: "boolean", name: "seen", title: "Đã gặp trực tiếp", renderAs: "checkbox", valueTrue: 1, valueFalse: 0, labelTrue: "Đã gặp", labelFalse: "Chưa gặp" },
    {
      type: "matrixdropdown",
      name: "homes",
      title: "Các hộ",
      rows: [{ value: "h1", text: "Hộ 1" }],
      columns: [{ name: "rented", title: "Thuê nhà", cellType: "boolean", valueTrue: "thue", valueFalse: "khong-thue" }],
    },
  ],
};

let server: PhieuServer;
test.beforeEach(async () => {
  const dist = mkdtempSync(path.join(tmpdir(), "phieu-bool-"));
  cpSync(path.join(__dirname, "../../dist"), dist, { recursive: true });
  const forms = path.join(dist, "forms");
  writeFileSync(path.join(forms, "dong-y.json"), JSON.stringify(form));
  server = await PhieuServer.start(["--forms", forms], dist);
});
test.afterEach(async () => {
  await server.stop();
});

test("valueTrue and valueFalse are what is stored, read by rules, shown as Yes/No, exported and checked by the server", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent("forms/dong-y.json")}&draft=new`);
  const agree = page.locator('[data-question="agree"]');
  const why = page.getByLabel("Vì sao không?");
  await expect(why).toBeHidden();
  // {agree} = 'no' reads the stored "no".
  await agree.getByRole("radio", { name: "Không" }).check();
  await expect(why).toBeVisible();
  await why.fill("bận việc");
  await page.locator('[data-question="seen"]').getByRole("radio", { name: "Đã gặp" }).check();
  await page.getByRole("group", { name: "Hộ 1", exact: true }).getByRole("radio", { name: "Có" }).check();
  await expectAccessible(page, "booleans with valueTrue and valueFalse");
  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("Không");
  await expect(review).toContainText("Đã gặp");
  await expect(review).not.toContainText("khong-thue");
  await expect(review).not.toContainText("thue");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  const [sent] = await server.submissions();
  // SurveyJS's answer shape: the values as written in the form.
  expect(sent.answers).toEqual({ agree: "no", why: "bận việc", seen: 1, homes: { h1: { rented: "thue" } } });

  const csv = await (await fetch(`${server.url}/api/submissions.csv?form=dong-y`, { headers: { Authorization: `Bearer ${server.adminToken}` } })).text();
  // A line of names, a line of titles, then the report.
  const [head, , line] = csv.replace(/^\uFEFF/, "").split("\r\n");
  const cells = line.split(",");
  const at = (name: string) => cells[head.split(",").indexOf(name)];
  expect([at("agree"), at("seen")]).toEqual(["no", "1"]);

  // The server takes only those values: true where "yes" is stored is refused.
  const post = (id: string, answers: object) =>
    fetch(`${server.url}/api/submissions`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...sent, id, answers }) });
  const refused = await post("00000000-0000-4000-8000-000000000001", { agree: true, seen: 1 });
  expect(refused.status).toBe(422);
  expect((await refused.json()).errors.map((e: any) => e.question)).toEqual(["agree"]);
  expect((await post("00000000-0000-4000-8000-000000000002", { agree: "yes", seen: 0 })).status).toBe(201);
});
