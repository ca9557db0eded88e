// Matrices inside a paneldynamic, at 360×740: visits, each with the
// medicines given (a matrixdynamic, rows added and removed in that visit),
// the rooms seen (a matrixdropdown whose row follows {panel.x}) and a rating
// (a matrix whose hidden row is left out when sent). Filled in two visits, a
// required cell checked in its visit, the review, and SurveyJS's nested
// shape on the server: {"visits": [{"meds": [{…}], "meds-total": {…}}]},
// the totals inside the repeat as survey-core 2.x keeps them.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Khám tại nhà",
  locale: "vi",
  elements: [
    {
      type: "paneldynamic", name: "visits", title: "Các lần khám", templateTitle: "Lần {panelIndex}", panelCount: 1,
      panelAddText: "Thêm lần khám", panelRemoveText: "Xoá lần khám",
      templateElements: [
        { type: "boolean", name: "home", title: "Khám tại nhà" },
        {
          type: "matrixdynamic", name: "meds", title: "Thuốc", rowCount: 1, addRowText: "Thêm thuốc",
          columns: [
            { name: "drug", title: "Tên thuốc", cellType: "text", isRequired: true },
            { name: "doses", title: "Số liều", cellType: "text", inputType: "number", totalType: "sum" },
            { name: "twice", title: "Gấp đôi", cellType: "expression", expression: "{row.doses} * 2" },
          ],
        },
        {
          type: "matrixdropdown", name: "rooms", title: "Phòng",
          rows: [{ value: "bed", text: "Phòng ngủ" }, { value: "yard", text: "Sân", visibleIf: "{panel.home} = true" }],
          columns: [{ name: "clean", title: "Sạch", cellType: "boolean" }],
        },
        {
          type: "matrix", name: "rate", title: "Đánh giá",
          rows: [{ value: "staff", text: "Nhân viên" }, { value: "visit", text: "Buổi khám tại nhà" }],
          columns: [1, 2, 3],
          rowsVisibleIf: "{item} != 'visit' or {panel.home} = true",
        },
      ],
    },
  ],
});

// A matrix column whose options come from a question at the top of the form
// (choicesFromQuestion, as survey-core 2.x offers them in a cell), in a matrix
// inside a repeat.
const stockForm = JSON.stringify({
  title: "Phát thuốc",
  locale: "vi",
  elements: [
    { type: "checkbox", name: "stock", title: "Thuốc có sẵn", choices: [{ value: "para", text: "Para" }, { value: "vit", text: "Vitamin" }, { value: "iron", text: "Sắt" }] },
    {
      type: "paneldynamic", name: "visits", title: "Các lần khám", templateTitle: "Lần {panelIndex}", panelCount: 1,
      templateElements: [
        { type: "text", name: "place", title: "Nơi khám" },
        {
          type: "matrixdynamic", name: "given", title: "Thuốc đã phát", rowCount: 1,
          columns: [
            { name: "drug", title: "Thuốc", cellType: "radiogroup", choicesFromQuestion: "stock", choicesFromQuestionMode: "selected" },
            // A column's title is the same in every row, as survey-core fills it in: {panel.x} the
            // repeat around the matrix; {rowIndex} not filled (phieu shows it empty, phieu check warns).
            { name: "n", title: "Số liều ở {panel.place} {rowIndex}", cellType: "text", inputType: "number" },
          ],
        },
      ],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/visits.json": form, "/stock.json": stockForm });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const group = (at, name: string) => at.getByRole("group", { name, exact: true });

test("matrices in each repeat: rows added and removed per visit, totals, rows that follow the repeat, review and SurveyJS's nested answers", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/visits.json")}&draft=new`);
  const first = group(page, "Lần 1");
  await group(first, "Khám tại nhà").getByRole("radio", { name: "Có" }).check();
  // rowCount 1: the visit starts with one medicine row, a card of labelled cells.
  await group(first, "Hàng 1").getByLabel("Tên thuốc").fill("Para");
  await group(first, "Hàng 1").getByLabel("Số liều").fill("2");
  await expect(group(first, "Hàng 1").locator("output")).toHaveText("4");
  await first.getByRole("button", { name: "Thêm thuốc" }).click();
  await expect(group(first, "Hàng 2").getByLabel("Tên thuốc")).toBeFocused();
  await group(first, "Hàng 2").getByLabel("Tên thuốc").fill("Vitamin");
  await group(first, "Hàng 2").getByLabel("Số liều").fill("3");
  await expect(first.locator(".grid-totals").first()).toHaveText("Tổng: Số liều: 5");
  // The yard row of this visit's rooms follows {panel.home}.
  await group(first, "Phòng ngủ").getByRole("radio", { name: "Có" }).check();
  await group(first, "Sân").getByRole("radio", { name: "Không" }).check();
  const rate = (at, label: string) => at.locator("fieldset.matrix-row", { hasText: label });
  await rate(first, "Nhân viên").getByRole("radio", { name: "3", exact: true }).check();
  await rate(first, "Buổi khám tại nhà").getByRole("radio", { name: "2", exact: true }).check();

  await page.getByRole("button", { name: "Thêm lần khám" }).click();
  const second = group(page, "Lần 2");
  // A new visit starts with the matrixdynamic's rowCount rows, and no yard.
  await expect(group(second, "Hàng 1").getByLabel("Tên thuốc")).toBeVisible();
  await expect(group(second, "Sân")).toBeHidden();
  await group(second, "Hàng 1").getByLabel("Tên thuốc").fill("Para");
  await group(second, "Hàng 1").getByLabel("Số liều").fill("1");
  await second.getByRole("button", { name: "Thêm thuốc" }).click();
  // The second row's required cell is checked on Next, in its own visit.
  await page.locator('[data-nav="next"]').click();
  await expect(group(second, "Hàng 2").locator(".invalid .error")).toHaveText("Vui lòng trả lời câu hỏi này.");
  await expect(group(first, "Hàng 2").locator(".invalid")).toHaveCount(0);
  await expectAccessible(page, "matrices inside repeats");
  await group(second, "Hàng 2").getByRole("button", { name: "Xoá Hàng 2" }).click();
  await expect(group(second, "Hàng 2")).toHaveCount(0);
  // The first visit keeps its two rows.
  await expect(group(first, "Hàng 2").getByLabel("Tên thuốc")).toHaveValue("Vitamin");
  await expect(second.locator(".grid-totals").first()).toHaveText("Tổng: Số liều: 1");

  // Corrected: the first visit was not at home. Its yard row and the rating's
  // home row are hidden, and their answers left out when sent.
  await group(first, "Khám tại nhà").getByRole("radio", { name: "Không" }).check();
  await expect(group(first, "Sân")).toBeHidden();
  await expect(rate(first, "Buổi khám tại nhà")).toBeHidden();

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  const reviewed = (name: string) => review.locator(".repeat").filter({ has: page.getByRole("heading", { name, exact: true }) });
  await expect(reviewed("Lần 1")).toContainText("#1 — Tên thuốc: Para; Số liều: 2; Gấp đôi: 4");
  await expect(reviewed("Lần 1")).toContainText("#2 — Tên thuốc: Vitamin; Số liều: 3; Gấp đôi: 6");
  await expect(reviewed("Lần 1")).toContainText("Tổng — Số liều: 5");
  await expect(reviewed("Lần 1")).toContainText("Phòng ngủ — Sạch: Có");
  await expect(reviewed("Lần 1")).not.toContainText("Sân");
  await expect(reviewed("Lần 1")).not.toContainText("Buổi khám tại nhà");
  await expect(reviewed("Lần 2")).toContainText("Tổng — Số liều: 1");
  await expectAccessible(page, "the review of matrices inside repeats");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    visits: [
      {
        home: false,
        meds: [{ drug: "Para", doses: 2, twice: 4 }, { drug: "Vitamin", doses: 3, twice: 6 }],
        "meds-total": { doses: 5 },
        rooms: { bed: { clean: true } },
        rate: { staff: 3 },
      },
      { meds: [{ drug: "Para", doses: 1, twice: 2 }], "meds-total": { doses: 1 } },
    ],
  });
});

test("a column offers the medicines ticked at the top; one unticked there leaves the cell", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/stock.json")}&draft=new`);
  const stock = (label: string) => page.locator('[data-question="stock"]').getByRole("checkbox", { name: label, exact: true });
  const row = group(group(page, "Lần 1"), "Hàng 1");
  const drug = (label: string) => row.getByRole("radio", { name: label, exact: true });
  await expect(drug("Para")).toBeHidden();
  await stock("Para").check();
  await stock("Vitamin").check();
  await expect(drug("Para")).toBeVisible();
  await expect(drug("Vitamin")).toBeVisible();
  await expect(drug("Sắt")).toBeHidden();
  await drug("Vitamin").check();
  await group(page, "Lần 1").getByLabel("Nơi khám").fill("Trạm");
  // The same title in every row, as survey-core shows it: the visit's place, no row number.
  await row.getByLabel("Số liều ở Trạm", { exact: true }).fill("2");
  await expectAccessible(page, "a column's options from another question");
  // Unticked at the top: no longer offered in the cell, and its answer goes, as survey-core clears it.
  await stock("Vitamin").uncheck();
  await expect(drug("Vitamin")).toBeHidden();
  await expect(drug("Para")).not.toBeChecked();
  await drug("Para").check();
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ stock: ["para"], visits: [{ place: "Trạm", given: [{ drug: "para", n: 2 }] }] });
});
