// storeOthersAsComment: false (issue 15), on screen at 360×740: the "Other"
// text is the answer itself, as survey-core 2.x stores it, read by
// expressions, shown as "Other" again in a reopened draft, and sent so
// (tests/expr-diff/logic-compare.mjs compares the same with survey-core).
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";
import { records } from "./idb";

const form = JSON.stringify({
  title: "Other as the answer",
  locale: "vi",
  storeOthersAsComment: false,
  elements: [
    { type: "radiogroup", name: "kenh", title: "Kênh", choices: ["zalo", "loa"], showOtherItem: true },
    { type: "text", name: "hoi_tiktok", title: "Tiktok nào?", visibleIf: "{kenh} = 'Tiktok'" },
    { type: "checkbox", name: "ds", title: "Nguồn", choices: ["a", "b"], showOtherItem: true },
    { type: "dropdown", name: "dd", title: "Chọn một", choices: ["x", "y"], showOtherItem: true },
    { type: "radiogroup", name: "cu", title: "Kiểu cũ", choices: ["p"], showOtherItem: true, storeOthersAsComment: true },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/other.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const open = (page) => page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/other.json")}&draft=new`);
const other = "Khác (ghi rõ)";
const q = (page, name: string) => page.locator(`[data-question="${name}"]`);

test("the Other text is the answer: typed, read by a rule, reopened as Other, reviewed and sent as survey-core stores it", async ({ page }) => {
  await open(page);
  await q(page, "kenh").getByRole("radio", { name: other }).check();
  await page.locator("#q-kenh-other").fill("Tiktok");
  await expect(q(page, "hoi_tiktok")).toBeVisible();
  await expect(q(page, "kenh").getByRole("radio", { name: other })).toBeChecked();
  await q(page, "ds").getByRole("checkbox", { name: "a", exact: true }).check();
  await q(page, "ds").getByRole("checkbox", { name: other }).check();
  await page.locator("#q-ds-other").fill("Loa phường");
  await q(page, "ds").getByRole("checkbox", { name: "b", exact: true }).check();
  await q(page, "dd").locator("select").selectOption({ label: other });
  await page.locator("#q-dd-other").fill("z");
  await q(page, "cu").getByRole("radio", { name: other }).check();
  await page.locator("#q-cu-other").fill("kiểu cũ");
  await expectAccessible(page, "Other as the answer");

  // The draft holds SurveyJS's shape; reopened, each text is "Other" again.
  await expect(page).toHaveURL(/draft=[0-9a-f-]{36}/);
  await expect
    .poll(async () => (await records(page, "drafts")).map((d) => d.answers))
    .toEqual([{ kenh: "Tiktok", ds: ["a", "b", "Loa phường"], dd: "z", cu: "other", "cu-Comment": "kiểu cũ" }]);
  await page.reload();
  await expect(q(page, "kenh").getByRole("radio", { name: other })).toBeChecked();
  await expect(page.locator("#q-kenh-other")).toHaveValue("Tiktok");
  await expect(q(page, "ds").getByRole("checkbox", { name: other })).toBeChecked();
  await expect(page.locator("#q-ds-other")).toHaveValue("Loa phường");
  await expect(page.locator("#q-dd-other")).toHaveValue("z");
  await expect(q(page, "hoi_tiktok")).toBeVisible();

  // Unticking an option keeps the text in its place.
  await q(page, "ds").getByRole("checkbox", { name: "a", exact: true }).uncheck();
  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  for (const shown of [`${other}: Tiktok`, `b, ${other}: Loa phường`, `${other}: z`, `${other}: kiểu cũ`]) await expect(review).toContainText(shown);
  await expectAccessible(page, "Other as the answer, reviewed");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ kenh: "Tiktok", ds: ["b", "Loa phường"], dd: "z", cu: "other", "cu-Comment": "kiểu cũ" });
});

test("an empty Other text keeps \"other\" and is refused; a text equal to an option is that option", async ({ page }) => {
  await open(page);
  const radio = q(page, "kenh").getByRole("radio", { name: other });
  await radio.check();
  await page.locator("#q-kenh-other").fill("x");
  await page.locator("#q-kenh-other").fill("");
  await page.locator('[data-nav="next"]').click();
  await expect(q(page, "kenh")).toHaveClass(/invalid/);
  await expect(page.locator("#q-kenh-other")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "Other left empty");
  // Typing an option's value chooses that option, as survey-core reads it.
  await page.locator("#q-kenh-other").fill("zalo");
  await expect(q(page, "kenh").getByRole("radio", { name: "zalo", exact: true })).toBeChecked();
  await expect(page.locator("#q-kenh-other")).toBeHidden();
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ kenh: "zalo" });
});
