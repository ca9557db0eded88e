// Issue 15, at 360×740: a checkbox's and a tagbox's minSelectedChoices and
// maxSelectedChoices, and a matrix's eachRowRequired (isAllRowRequired), as
// survey-core 2.x does them: the maximum disables the options not chosen
// ("Other" too, "None" stays), the minimum and every row are errors when the
// page is checked (tests/expr-diff/logic-compare.mjs compares the same with
// survey-core), and the server checks a report the same way.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Chosen counts",
  locale: "vi",
  elements: [
    {
      type: "checkbox", name: "heard", title: "Nghe qua", showOtherItem: true, showNoneItem: true, minSelectedChoices: 2, maxSelectedChoices: 2,
      choices: [{ value: "loa", text: "Loa phường" }, { value: "zalo", text: "Zalo" }, { value: "tv", text: "Ti vi" }],
    },
    { type: "tagbox", name: "ward", title: "Phường", maxSelectedChoices: 1, minSelectedChoices: 1, choices: ["Yên Nghĩa", "Kiến Hưng", "Phú Lãm"] },
    {
      type: "matrix", name: "grades", title: "Đánh giá", eachRowRequired: true,
      rows: [{ value: "road", text: "Đường" }, { value: "light", text: "Đèn" }],
      columns: [{ value: 1, text: "Kém" }, { value: 2, text: "Tốt" }],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/counts.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

test("the maximum disables what is not chosen, the minimum and every row hold the page, and SurveyJS's answers arrive", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/counts.json")}&draft=new`);
  const heard = page.locator('[data-question="heard"]');
  const tick = (label: string) => heard.getByRole("checkbox", { name: label, exact: true });
  const question = (name: string) => page.locator(`[data-question="${name}"]`);

  // Nothing chosen: Next stops on the three questions, each with survey-core's message.
  await page.locator('[data-nav="next"]').click();
  await expect(question("heard")).toContainText("Vui lòng chọn ít nhất 2 mục.");
  await expect(question("ward")).toContainText("Vui lòng chọn ít nhất 1 mục.");
  await expect(question("grades")).toContainText("Vui lòng trả lời các câu hỏi trên tất cả các dòng.");
  await expectAccessible(page, "chosen counts and every row, with their errors");

  // Two ticked: the third and "Other" are disabled, "None" is not; unticking one frees them.
  await tick("Loa phường").check();
  await tick("Zalo").check();
  await expect(tick("Ti vi")).toBeDisabled();
  await expect(tick("Khác (ghi rõ)")).toBeDisabled();
  await expect(tick("Không có")).toBeEnabled();
  await expectAccessible(page, "options disabled by maxSelectedChoices");
  await tick("Zalo").uncheck();
  await expect(tick("Ti vi")).toBeEnabled();
  await expect(tick("Khác (ghi rõ)")).toBeEnabled();
  await tick("Ti vi").check();
  await expect(tick("Zalo")).toBeDisabled();

  // The tagbox: one chosen, the others cannot be picked.
  const ward = page.getByRole("combobox", { name: "Phường" });
  await ward.click();
  await page.getByRole("option", { name: "Kiến Hưng", exact: true }).click();
  await ward.click();
  await expect(page.getByRole("option", { name: "Phú Lãm", exact: true })).toHaveAttribute("aria-disabled", "true");
  // A tap on it does nothing (Playwright would wait for it to be enabled: the event is sent as a tap sends it).
  await page.getByRole("option", { name: "Phú Lãm", exact: true }).dispatchEvent("click");
  await expect(question("ward").locator(".chips li")).toHaveCount(1);
  await expect(question("ward").locator(".chips")).toContainText("Kiến Hưng");
  await page.locator("h1").first().click();

  // One row of the matrix answered is not enough.
  const row = (label: string) => question("grades").locator("fieldset.matrix-row", { hasText: label });
  await row("Đường").getByRole("radio", { name: "Tốt", exact: true }).check();
  await page.locator('[data-nav="next"]').click();
  await expect(question("grades")).toContainText("Vui lòng trả lời các câu hỏi trên tất cả các dòng.");
  await expect(question("heard")).not.toContainText("Vui lòng chọn");
  await row("Đèn").getByRole("radio", { name: "Kém", exact: true }).check();

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("Loa phường");
  await expect(review).toContainText("Ti vi");
  await expect(review).toContainText("Kiến Hưng");
  await expect(review).toContainText("Đèn");
  await expectAccessible(page, "the review");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ heard: ["loa", "tv"], ward: ["Kiến Hưng"], grades: { road: 2, light: 1 } });
});
