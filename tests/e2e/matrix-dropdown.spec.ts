// matrixdropdown and matrixdynamic on screen: at 360×740 each row is a card
// of labelled cells (as SurveyJS shows a matrix on a phone); a wide screen
// lays the same rows out as a table. Filled, a row added and one removed,
// seen in the review, and sent in SurveyJS's shapes: {row: {column: value}},
// [{column: value}], expression cells in their rows and `<name>-total`
// beside each matrix (survey-core 2.5.43 keeps totals in its data).
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Matrices",
  locale: "vi",
  elements: [
    {
      type: "matrixdropdown", name: "rooms", title: "Phòng",
      rows: [{ value: "bed", text: "Phòng ngủ" }, { value: "kitchen", text: "Bếp" }],
      choices: [{ value: "tile", text: "Gạch" }, { value: "wood", text: "Gỗ" }],
      columns: [
        { name: "floor", title: "Sàn" },
        { name: "area", title: "Diện tích", cellType: "text", inputType: "number", totalType: "sum", validators: [{ type: "numeric", maxValue: 100 }] },
        { name: "note", title: "Ghi chú", cellType: "comment", visibleIf: "{row.area} > 50" },
        { name: "ok", title: "Đạt", cellType: "boolean" },
        { name: "twice", title: "Gấp đôi", cellType: "expression", expression: "{row.area} * 2" },
      ],
    },
    {
      type: "matrixdynamic", name: "members", title: "Thành viên", rowCount: 1, maxRowCount: 3,
      columns: [
        { name: "who", title: "Họ tên", cellType: "text", isRequired: true },
        { name: "age", title: "Tuổi", cellType: "text", inputType: "number", totalType: "avg" },
        { name: "tags", title: "Nhãn", cellType: "checkbox", choices: ["x", "y"] },
        { name: "rate", title: "Mức", cellType: "rating", rateMax: 3 },
      ],
    },
  ],
});

// A column's defaultValue starts each row's cell, a matrixdropdown's rows at
// once and every row added, as survey-core 2.x builds rows; it is an answer.
const defaults = JSON.stringify({
  title: "Defaults",
  locale: "vi",
  elements: [
    {
      type: "matrixdynamic", name: "visits", title: "Lần thăm", rowCount: 1,
      columns: [
        { name: "place", title: "Nơi", cellType: "text" },
        { name: "unit", title: "Đơn vị", cellType: "dropdown", choices: [{ value: "kg", text: "Ki-lô" }, { value: "g", text: "Gam" }], defaultValue: "kg" },
        { name: "count", title: "Số", cellType: "text", inputType: "number", defaultValue: 1 },
      ],
    },
    {
      type: "matrixdropdown", name: "days", title: "Ngày", rows: [{ value: "mon", text: "Thứ hai" }],
      columns: [{ name: "open", title: "Mở", cellType: "boolean", defaultValue: true }],
    },
  ],
});

// A column's setValueExpression and setValueIf run per row as survey-core 2.x
// runs them: the price reaches every row, a quantity its own row alone.
const rules = JSON.stringify({
  title: "Rules",
  locale: "vi",
  elements: [
    { type: "text", name: "price", title: "Đơn giá", inputType: "number" },
    {
      type: "matrixdropdown", name: "buys", title: "Mua", rows: [{ value: "rice", text: "Gạo" }, { value: "salt", text: "Muối" }],
      columns: [
        { name: "qty", title: "Số lượng", cellType: "text", inputType: "number" },
        { name: "cost", title: "Thành tiền", cellType: "text", inputType: "number", setValueExpression: "{row.qty} * {price}" },
      ],
    },
    {
      type: "matrixdynamic", name: "sellers", title: "Người bán", rowCount: 1,
      columns: [
        { name: "who", title: "Tên", cellType: "text" },
        { name: "size", title: "Cỡ", cellType: "text", setValueIf: "{price} > 100", setValueExpression: "'lớn'" },
      ],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/matrix.json": form, "/defaults.json": defaults, "/rules.json": rules });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const open = (page) => page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/matrix.json")}&draft=new`);
const row = (page, name: string) => page.getByRole("group", { name, exact: true });

test("fill a matrixdropdown and a matrixdynamic on a phone, add and remove a row, review and send SurveyJS's shapes", async ({ page }) => {
  await open(page);
  const bed = row(page, "Phòng ngủ");
  // A card: the row's title and a labelled field per column.
  await expect(bed.getByRole("heading", { name: "Phòng ngủ" })).toBeVisible();
  await expect(page.locator(".grid-head").first()).toBeHidden();
  await bed.getByLabel("Sàn").selectOption({ label: "Gỗ" });
  const note = bed.getByLabel("Ghi chú");
  await expect(note).toBeHidden();
  await bed.getByLabel("Diện tích").fill("60");
  // {row.area} > 50 shows the note in this row only.
  await expect(note).toBeVisible();
  await expect(row(page, "Bếp").getByLabel("Ghi chú")).toBeHidden();
  await note.fill("rộng");
  await expect(bed.locator("output")).toHaveText("120");
  const kitchen = row(page, "Bếp");
  await kitchen.getByLabel("Diện tích").fill("8");
  await kitchen.getByRole("radio", { name: "Có" }).check();
  await expect(page.locator('[data-question="rooms"] .grid-totals')).toHaveText("Tổng: Diện tích: 68");

  const first = row(page, "Hàng 1");
  await first.getByLabel("Họ tên").fill("An");
  await first.getByLabel("Tuổi").fill("40");
  await first.getByRole("checkbox", { name: "x" }).check();
  await first.getByRole("radio", { name: "2" }).check();
  // One row may not be removed below none, but this matrix has no minimum: its button shows.
  await expect(first.getByRole("button", { name: "Xoá Hàng 1" })).toBeVisible();
  const add = page.getByRole("button", { name: "Thêm hàng" });
  await add.click();
  await row(page, "Hàng 2").getByLabel("Họ tên").fill("Bình");
  await add.click();
  // maxRowCount 3: no more rows.
  await expect(add).toBeHidden();
  // The new row's required cell is checked on Next.
  await page.locator('[data-nav="next"]').click();
  await expect(row(page, "Hàng 3").locator(".invalid .error")).toHaveText("Vui lòng trả lời câu hỏi này.");
  await row(page, "Hàng 3").getByLabel("Họ tên").fill("Chi");
  await row(page, "Hàng 3").getByLabel("Tuổi").fill("20");
  await expectAccessible(page, "matrices on a phone");
  await row(page, "Hàng 2").getByRole("button", { name: "Xoá Hàng 2" }).click();
  await expect(row(page, "Hàng 3")).toHaveCount(0);
  await expect(row(page, "Hàng 2").getByLabel("Họ tên")).toHaveValue("Chi");
  await expect(add).toBeVisible();
  await expect(page.locator('[data-question="members"] .grid-totals')).toHaveText("Tổng: Tuổi: 30");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("Phòng ngủ — Sàn: Gỗ; Diện tích: 60; Ghi chú: rộng; Gấp đôi: 120");
  await expect(review).toContainText("Bếp — Diện tích: 8; Đạt: Có; Gấp đôi: 16");
  await expect(review).toContainText("Tổng — Diện tích: 68");
  await expect(review).toContainText("#1 — Họ tên: An; Tuổi: 40; Nhãn: x; Mức: 2");
  await expect(review).toContainText("#2 — Họ tên: Chi; Tuổi: 20");
  await expect(review).toContainText("Tổng — Tuổi: 30");
  await expectAccessible(page, "the review of matrices");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    rooms: { bed: { floor: "wood", area: 60, note: "rộng", twice: 120 }, kitchen: { area: 8, ok: true, twice: 16 } },
    "rooms-total": { area: 68 },
    members: [{ who: "An", age: 40, tags: ["x"], rate: 2 }, { who: "Chi", age: 20 }],
    "members-total": { age: 30 },
  });
});

test("on a wide screen a matrix is a table: the column titles above, each row's cells side by side", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open(page);
  const head = page.locator('[data-question="rooms"] .grid-head');
  await expect(head).toBeVisible();
  await expect(head).toContainText("Sàn");
  await expect(head).toContainText("Diện tích");
  const bed = row(page, "Phòng ngủ");
  const floor = (await bed.getByLabel("Sàn").boundingBox())!;
  const area = (await bed.getByLabel("Diện tích").boundingBox())!;
  // Side by side on one line, under their titles.
  expect(Math.abs(floor.y - area.y)).toBeLessThan(8);
  expect(area.x).toBeGreaterThan(floor.x + floor.width - 1);
  const title = (await head.getByText("Diện tích").boundingBox())!;
  expect(Math.abs(title.x - area.x)).toBeLessThan(40);
  // The labels are still there for screen readers, and the rows' cells line up.
  const kitchenArea = (await row(page, "Bếp").getByLabel("Diện tích").boundingBox())!;
  expect(Math.abs(kitchenArea.x - area.x)).toBeLessThan(2);
  await expectAccessible(page, "matrices as a table");
});

test("a column's defaultValue starts each row's cell, in rows added too; it is reviewed and sent", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/defaults.json")}&draft=new`);
  const first = row(page, "Hàng 1");
  await expect(first.getByLabel("Đơn vị").locator("option:checked")).toHaveText("Ki-lô");
  await expect(first.getByLabel("Số")).toHaveValue("1");
  await expect(row(page, "Thứ hai").getByRole("radio", { name: "Có" })).toBeChecked();
  await first.getByLabel("Nơi").fill("Chợ");
  await page.getByRole("button", { name: "Thêm hàng" }).click();
  const second = row(page, "Hàng 2");
  await expect(second.getByLabel("Đơn vị").locator("option:checked")).toHaveText("Ki-lô");
  await expect(second.getByLabel("Số")).toHaveValue("1");
  await second.getByLabel("Nơi").fill("Nhà");
  await second.getByLabel("Đơn vị").selectOption({ label: "Gam" });
  await second.getByLabel("Số").fill("3");
  await expectAccessible(page, "column defaults on a phone");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("#1 — Nơi: Chợ; Đơn vị: Ki-lô; Số: 1");
  await expect(review).toContainText("#2 — Nơi: Nhà; Đơn vị: Gam; Số: 3");
  await expect(review).toContainText("Thứ hai — Mở: Có");
  await expectAccessible(page, "the review of column defaults");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    visits: [{ place: "Chợ", unit: "kg", count: 1 }, { place: "Nhà", unit: "g", count: 3 }],
    days: { mon: { open: true } },
  });
});

test("a column's setValueExpression runs in its own row, and a top-level answer reaches every row; reviewed and sent", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/rules.json")}&draft=new`);
  const rice = row(page, "Gạo");
  const salt = row(page, "Muối");
  await page.getByLabel("Đơn giá").fill("10");
  // Every row, the empty one too: survey-core gives {row.qty} * {price} = 0 there.
  await expect(rice.getByLabel("Thành tiền")).toHaveValue("0");
  await expect(salt.getByLabel("Thành tiền")).toHaveValue("0");
  await rice.getByLabel("Số lượng").fill("2");
  await expect(rice.getByLabel("Thành tiền")).toHaveValue("20");
  await salt.getByLabel("Thành tiền").fill("5");
  await row(page, "Hàng 1").getByLabel("Tên").fill("An");
  await expect(row(page, "Hàng 1").getByLabel("Cỡ")).toHaveValue("");
  await page.getByLabel("Đơn giá").fill("200");
  await expect(rice.getByLabel("Thành tiền")).toHaveValue("400");
  await expect(salt.getByLabel("Thành tiền")).toHaveValue("0");
  await expect(row(page, "Hàng 1").getByLabel("Cỡ")).toHaveValue("lớn");
  await expectAccessible(page, "matrix value rules on a phone");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("Gạo — Số lượng: 2; Thành tiền: 400");
  await expect(review).toContainText("Muối — Thành tiền: 0");
  await expect(review).toContainText("#1 — Tên: An; Cỡ: lớn");
  await expectAccessible(page, "the review of matrix value rules");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    price: 200,
    buys: { rice: { qty: 2, cost: 400 }, salt: { cost: 0 } },
    sellers: [{ who: "An", size: "lớn" }],
  });
});
