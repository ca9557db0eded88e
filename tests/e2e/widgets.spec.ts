// The widgets the example forms do not use, in one form served by an
// author's own site: a tagbox, a long dropdown with "Other", each text
// inputType's keyboard, defaults, choice order, piping, and numbers and
// dates written the way each language writes them.
import { test, expect } from "@playwright/test";
import { pick, submitForm } from "./fill";
import { PhieuServer } from "./server";
import { records } from "./idb";
import { FormHost } from "./form-host";

const wards = ["Văn Quán", "Mộ Lao", "Hà Cầu", "Kiến Hưng", "La Khê", "Phú La", "Phúc La", "Quang Trung", "Vạn Phúc", "Yết Kiêu", "Yên Nghĩa", "Dương Nội"];
const form = JSON.stringify({
  title: { default: "Thử các loại câu hỏi", en: "Every widget" },
  locale: "vi",
  elements: [
    { type: "text", name: "name", title: { default: "Tên", en: "Name" }, defaultValue: "Lan" },
    { type: "text", name: "email", inputType: "email", title: "Email" },
    { type: "text", name: "phone", inputType: "tel", title: { default: "Điện thoại", en: "Phone" } },
    { type: "text", name: "amount", inputType: "number", title: { default: "Số tiền", en: "Amount" }, min: 0 },
    { type: "text", name: "when", inputType: "date", title: { default: "Ngày", en: "Date" } },
    { type: "expression", name: "double", title: { default: "Gấp đôi", en: "Doubled" }, expression: "{amount} * 2" },
    {
      type: "tagbox", name: "topics", title: { default: "Chủ đề", en: "Topics" },
      choices: [{ value: "dat", text: "Đất đai" }, { value: "nuoc", text: "Nước sạch" }, { value: "dien", text: "Điện" }],
    },
    {
      type: "dropdown", name: "ward", title: { default: "Phường của {name}", en: "{name}'s ward" }, choicesOrder: "asc",
      choices: wards.map((w, i) => ({ value: i, text: w })), showOtherItem: true,
    },
    { type: "text", name: "today", title: { default: "Hôm nay", en: "Today" }, inputType: "date", defaultValueExpression: "today()" },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/widgets.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

test("tagbox, long dropdown with Other, keyboards, defaults, piping, and numbers per language", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/widgets.json")}&draft=new`);
  // Defaults fill a new report.
  await expect(page.getByLabel("Tên")).toHaveValue("Lan");
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  });
  await expect(page.getByLabel("Hôm nay")).toHaveValue(today);
  // Defaults alone are not a draft: opening a form and leaving leaves nothing behind.
  await page.goto(server.url + "/");
  await expect(page.getByRole("link", { name: /Phiếu phản ánh/ })).toBeVisible();
  await expect(page.getByTestId("drafts")).toBeHidden();
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/widgets.json")}&draft=new`);

  // Each inputType brings its own phone keyboard.
  await expect(page.getByLabel("Email")).toHaveAttribute("type", "email");
  await expect(page.getByLabel("Email")).toHaveAttribute("inputmode", "email");
  await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "email");
  await expect(page.getByLabel("Điện thoại")).toHaveAttribute("inputmode", "tel");
  await expect(page.getByLabel("Số tiền")).toHaveAttribute("inputmode", "decimal");
  await expect(page.getByLabel("Số tiền")).toHaveAttribute("min", "0");

  // A number longer than binary64 converts exactly (21 digits) is read by
  // the browser's parseFloat, as SurveyJS reads it; the core's fallback
  // would give ...613.
  await page.getByLabel("Số tiền").fill("7267.71138036061174183");
  await expect
    .poll(async () => (await records(page, "drafts")).map((d) => d.answers.amount))
    .toEqual([7267.711380360612]);

  // A computed number, written as each language writes it.
  await page.getByLabel("Số tiền").fill("1234.25");
  await expect(page.getByLabel("Gấp đôi")).toHaveText("2.468,5");
  await page.getByRole("button", { name: "English", exact: true }).click();
  await expect(page.getByLabel("Doubled")).toHaveText("2,468.5");
  await page.getByRole("button", { name: "Tiếng Việt", exact: true }).click();

  // Tagbox: search, pick two, remove one by its chip.
  await pick(page, "Chủ đề", "nuoc", "Nước sạch");
  await pick(page, "Chủ đề", "dat dai", "Đất đai");
  await expect(page.locator('[data-question="topics"] .chips li')).toHaveText(["Đất đai×", "Nước sạch×"]);
  await page.getByRole("button", { name: "Bỏ chọn Nước sạch" }).click();
  await expect(page.locator('[data-question="topics"] .chips li')).toHaveText(["Đất đai×"]);

  // Piping: the title follows the name as it is typed.
  await expect(page.getByRole("combobox", { name: "Phường của Lan" })).toBeVisible();
  await page.getByLabel("Tên").fill("Bình");
  const ward = page.getByRole("combobox", { name: "Phường của Bình" });
  // More than ten options: searched, in alphabetical order, "Other" last.
  await ward.click();
  await expect(page.getByRole("option").first()).toHaveText("Dương Nội");
  await expect(page.getByRole("option").last()).toHaveText("Khác (ghi rõ)");
  await ward.fill("phu");
  await expect(page.getByRole("option")).toHaveText(["Phú La", "Phúc La", "Vạn Phúc"]);
  await ward.fill("khac");
  await page.getByRole("option", { name: "Khác (ghi rõ)" }).click();
  await page.getByLabel("Ghi rõ lựa chọn khác").fill("Biên Giang");
  await page.getByLabel("Ngày", { exact: true }).fill("2026-11-20");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("20/11/2026");
  await expect(review).toContainText("1.234,25");
  await expect(review).toContainText("Khác (ghi rõ): Biên Giang");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    name: "Bình",
    amount: 1234.25,
    when: "2026-11-20",
    double: 2468.5,
    topics: ["dat"],
    ward: "other",
    "ward-Comment": "Biên Giang",
    today,
  });
});

test("a long dropdown is used with the keyboard: arrows move through the matches, Enter picks", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/widgets.json")}&draft=new`);
  const ward = page.getByRole("combobox", { name: "Phường của Lan" });
  await ward.click();
  await ward.fill("phu");
  const options = page.getByRole("option");
  await expect(options).toHaveText(["Phú La", "Phúc La", "Vạn Phúc"]);
  await expect(options.nth(0)).toHaveClass(/active/);
  await ward.press("ArrowDown");
  await ward.press("ArrowDown");
  await ward.press("ArrowDown");
  await expect(options.nth(2)).toHaveClass(/active/);
  await expect(ward).toHaveAttribute("aria-activedescendant", (await options.nth(2).getAttribute("id"))!);
  await ward.press("ArrowUp");
  await expect(options.nth(1)).toHaveClass(/active/);
  await ward.press("Enter");
  await expect(ward).toHaveValue("Phúc La");
  await expect(page.getByRole("listbox")).toBeHidden();
});
