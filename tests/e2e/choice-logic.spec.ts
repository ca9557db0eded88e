// Issue 15's choice logic, on screen at 360×740: choicesEnableIf (options
// shown but disabled), matrix rowsVisibleIf / columnsVisibleIf and a row's
// visibleIf, a chosen option that is hidden leaving the answer,
// choicesFromQuestion with each choicesFromQuestionMode, each as survey-core
// does it
// (tests/expr-diff/logic-compare.mjs compares the same with survey-core).
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Choice logic",
  locale: "vi",
  elements: [
    { type: "radiogroup", name: "level", title: "Cấp", choices: [{ value: 1, text: "Một" }, { value: 2, text: "Hai" }, { value: 3, text: "Ba" }] },
    { type: "radiogroup", name: "pick", title: "Chọn", choices: [1, 2, 3, 4], choicesEnableIf: "{item} <= {level}" },
    { type: "dropdown", name: "drop", title: "Danh sách", choices: ["a", "b"], choicesEnableIf: "{item} = 'a' or {level} = 3" },
    { type: "radiogroup", name: "own", title: "Riêng", choices: ["x", { value: "y", enableIf: "{level} = 3" }] },
    { type: "radiogroup", name: "size", title: "Cỡ", choices: ["S", "L"], choicesVisibleIf: "{item} != 'L' or {level} = 3" },
    { type: "checkbox", name: "tools", title: "Dụng cụ", choices: ["búa", "kìm", "cưa"], choicesVisibleIf: "{item} != 'cưa' or {level} = 3" },
    { type: "checkbox", name: "heard", title: "Nghe qua", choices: [{ value: "loa", text: "Loa phường" }, { value: "zalo", text: "Zalo" }, { value: "tv", text: "Ti vi" }] },
    { type: "radiogroup", name: "main", title: "Kênh chính", choicesFromQuestion: "heard", choicesFromQuestionMode: "selected" },
    { type: "checkbox", name: "unused", title: "Kênh chưa dùng", choicesFromQuestion: "heard", choicesFromQuestionMode: "unselected" },
    { type: "dropdown", name: "any", title: "Kênh bất kỳ", choicesFromQuestion: "heard" },
    {
      type: "matrix", name: "grid", title: "Bảng",
      rows: [{ value: "r1", text: "Hàng một" }, { value: "r2", text: "Hàng hai" }, { value: "r3", text: "Hàng ba", visibleIf: "{level} = 3" }],
      columns: [{ value: 1, text: "Kém" }, { value: 2, text: "Tốt" }],
      rowsVisibleIf: "{item} != 'r2' or {level} notempty",
      columnsVisibleIf: "{item} = 1 or {level} >= 2",
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/choices.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const open = (page) => page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/choices.json")}&draft=new`);
const option = (page, question: string, label: string) =>
  page.locator(`[data-question="${question}"]`).getByRole("radio", { name: label, exact: true });

test("choicesEnableIf: options stay on screen but cannot be chosen while it is false", async ({ page }) => {
  await open(page);
  const pick = (n: number) => option(page, "pick", String(n));
  // No level yet: `{item} <= {level}` is false for every option, as in survey-core.
  for (const n of [1, 2, 3, 4]) {
    await expect(pick(n)).toBeVisible();
    await expect(pick(n)).toBeDisabled();
  }
  await option(page, "level", "Hai").check();
  await expect(pick(1)).toBeEnabled();
  await expect(pick(2)).toBeEnabled();
  await expect(pick(3)).toBeDisabled();
  await pick(2).check();
  // Lowering the level disables the chosen option; the answer stays, as in survey-core.
  await option(page, "level", "Một").check();
  await expect(pick(2)).toBeDisabled();
  await expect(pick(2)).toBeChecked();
  // A native list's option is disabled too.
  const b = page.locator('[data-question="drop"] option', { hasText: "b" });
  await expect(b).toBeDisabled();
  // A choice's own enableIf: that option alone.
  await expect(option(page, "own", "y")).toBeDisabled();
  await expect(option(page, "own", "x")).toBeEnabled();
  await option(page, "level", "Ba").check();
  await expect(b).toBeEnabled();
  await expect(option(page, "own", "y")).toBeEnabled();
  await page.locator('[data-question="drop"] select').selectOption({ label: "b" });
  await option(page, "level", "Một").check();
  await expectAccessible(page, "disabled options");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ level: 1, pick: 2, drop: "b" });
});

test("rowsVisibleIf, columnsVisibleIf and a row's visibleIf show and hide a matrix's rows and columns; hidden cells are not sent", async ({ page }) => {
  await open(page);
  const row = (label: string) => page.locator('[data-question="grid"] fieldset.matrix-row', { hasText: label });
  const cell = (label: string, column: string) => row(label).getByRole("radio", { name: column, exact: true });
  await expect(row("Hàng một")).toBeVisible();
  await expect(row("Hàng hai")).toBeHidden();
  await expect(row("Hàng ba")).toBeHidden();
  await expect(cell("Hàng một", "Kém")).toBeVisible();
  await expect(cell("Hàng một", "Tốt")).toBeHidden();
  await option(page, "level", "Hai").check();
  await expect(row("Hàng hai")).toBeVisible();
  await expect(row("Hàng ba")).toBeHidden();
  await cell("Hàng một", "Tốt").check();
  await cell("Hàng hai", "Kém").check();
  await option(page, "level", "Ba").check();
  await expect(row("Hàng ba")).toBeVisible();
  await expectAccessible(page, "a matrix with hidden rows and columns");
  // Back to level one: "Tốt" goes, and with it row one's answer, as survey-core clears it at completion.
  await option(page, "level", "Một").check();
  await expect(cell("Hàng hai", "Tốt")).toBeHidden();
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("Hàng hai");
  await expect(page.locator(".review")).not.toContainText("Hàng một");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ level: 1, grid: { r2: 1 } });
});

test("a chosen option that choicesVisibleIf hides leaves the answer; a ticked one comes back with its option", async ({ page }) => {
  await open(page);
  const large = option(page, "size", "L");
  const saw = page.locator('[data-question="tools"]').getByRole("checkbox", { name: "cưa", exact: true });
  await expect(large).toBeHidden();
  await option(page, "level", "Ba").check();
  await large.check();
  await page.locator('[data-question="tools"]').getByRole("checkbox", { name: "kìm", exact: true }).check();
  await saw.check();
  await option(page, "level", "Hai").check();
  await expect(large).toBeHidden();
  await expect(saw).toBeHidden();
  await option(page, "level", "Ba").check();
  // As survey-core: the radio's answer is gone, the tick box's comes back.
  await expect(large).toBeVisible();
  await expect(large).not.toBeChecked();
  await expect(saw).toBeChecked();
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ level: 3, tools: ["kìm", "cưa"] });
});

test("choicesFromQuestion offers another question's options: those chosen there, those not, or all", async ({ page }) => {
  await open(page);
  const heard = (label: string) => page.locator('[data-question="heard"]').getByRole("checkbox", { name: label, exact: true });
  const main = (label: string) => option(page, "main", label);
  const unused = (label: string) => page.locator('[data-question="unused"]').getByRole("checkbox", { name: label, exact: true });
  for (const label of ["Loa phường", "Zalo", "Ti vi"]) {
    await expect(main(label)).toBeHidden();
    await expect(unused(label)).toBeVisible();
  }
  await expect(page.locator('[data-question="any"] option', { hasText: "Ti vi" })).toBeAttached();
  await heard("Loa phường").check();
  await heard("Zalo").check();
  await expect(main("Loa phường")).toBeVisible();
  await expect(main("Zalo")).toBeVisible();
  await expect(main("Ti vi")).toBeHidden();
  await expect(unused("Zalo")).toBeHidden();
  await expect(unused("Ti vi")).toBeVisible();
  await main("Loa phường").check();
  await unused("Ti vi").check();
  await expectAccessible(page, "options from another question");
  // Unticking "Loa phường" there takes it out of the main channel, and the answer with it, as survey-core does.
  await heard("Loa phường").uncheck();
  await expect(main("Loa phường")).toBeHidden();
  await expect(main("Zalo")).not.toBeChecked();
  // The first option hidden, the next one still sits under the title, inside the question's box.
  const box = (await page.locator('[data-question="main"]').boundingBox())!;
  const zalo = (await main("Zalo").boundingBox())!;
  expect(zalo.x + zalo.width).toBeLessThanOrEqual(box.x + box.width);
  await main("Zalo").check();
  await page.locator('[data-question="any"] select').selectOption({ label: "Ti vi" });
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ heard: ["zalo"], main: "zalo", unused: ["tv"], any: "tv" });
});
