// Issue 15: the text input types SurveyJS has, each shown as the phone's own
// picker at 360×740, and answered in SurveyJS's shape.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const types = ["time", "datetime-local", "month", "week", "url", "range", "color"];
const form = JSON.stringify({
  title: "Inputs",
  locale: "vi",
  elements: [
    ...types.map((t) => ({ type: "text", name: t.replace("-", "_"), title: `Ô ${t}`, inputType: t, ...(t === "range" ? { min: 0, max: 10 } : {}) })),
    // SurveyJS 2's slider: the same range input, answered as a number.
    { type: "slider", name: "muc_do", title: "Mức độ", max: 10, step: 2 },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/inputs.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

test("time, datetime-local, month, week, url, range and color are the browser's own inputs, answered as SurveyJS answers", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/inputs.json")}&draft=new`);
  const field = (t: string) => page.getByLabel(`Ô ${t}`, { exact: true });
  for (const t of types) await expect(field(t)).toHaveAttribute("type", t);
  await field("time").fill("08:30");
  await field("datetime-local").fill("2026-11-26T08:30");
  await field("month").fill("2026-11");
  await field("week").fill("2026-W48");
  await field("url").fill("https://hanoi.gov.vn");
  await field("range").fill("7");
  await field("color").fill("#1a7f37");
  const slider = page.getByLabel("Mức độ", { exact: true });
  await expect(slider).toHaveAttribute("type", "range");
  await expect(slider).toHaveAttribute("max", "10");
  await expect(slider).toHaveAttribute("step", "2");
  await slider.fill("4");
  // Each picker is as wide as the screen allows, not the browser's small default.
  const width = (await field("month").boundingBox())!.width;
  expect(width).toBeGreaterThan(250);
  await expectAccessible(page, "input types");
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("2026-W48");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    time: "08:30",
    datetime_local: "2026-11-26T08:30",
    month: "2026-11",
    week: "2026-W48",
    url: "https://hanoi.gov.vn",
    range: 7,
    color: "#1a7f37",
    muc_do: 4,
  });
});

test("a buttongroup is a row of buttons answered as a radiogroup, with its options' rules (shown and enabled)", async ({ page }) => {
  const buttons = JSON.stringify({
    title: "Buttons",
    locale: "vi",
    elements: [
      { type: "boolean", name: "more", title: "Thêm" },
      {
        type: "buttongroup", name: "size", title: "Cỡ", showOtherItem: true,
        choices: [{ value: "s", text: "Nhỏ" }, { value: "m", text: "Vừa" }, { value: "l", text: "Lớn" }],
        choicesVisibleIf: "{item} != 'l' or {more} = true",
        // A disabled button stays shown.
        choicesEnableIf: "{item} != 's' or {more} != true",
      },
    ],
  });
  const own = new FormHost({ "/buttons.json": buttons });
  await own.start();
  try {
    await page.goto(`${server.url}/?form=${encodeURIComponent(own.url + "/buttons.json")}&draft=new`);
    const size = page.locator('[data-question="size"]');
    const button = (label: string) => size.getByRole("radio", { name: label, exact: true });
    // A row: the buttons side by side, no "Other" (SurveyJS's buttongroup has none).
    const [small, medium] = [(await size.locator(".pill").nth(0).boundingBox())!, (await size.locator(".pill").nth(1).boundingBox())!];
    expect(Math.abs(small.y - medium.y)).toBeLessThan(2);
    expect(medium.x).toBeGreaterThan(small.x);
    await expect(size.getByText("Khác (ghi rõ)")).toHaveCount(0);
    await expect(size.locator(".pill", { hasText: "Lớn" })).toBeHidden();
    await expect(button("Nhỏ")).toBeEnabled();
    await page.locator('[data-question="more"]').getByText("Có", { exact: true }).click();
    await expect(size.locator(".pill", { hasText: "Lớn" })).toBeVisible();
    await expect(button("Nhỏ")).toBeDisabled();
    await expect(button("Vừa")).toBeEnabled();
    await size.locator(".pill", { hasText: "Nhỏ" }).click({ force: true });
    await expect(button("Nhỏ")).not.toBeChecked();
    await size.locator(".pill", { hasText: "Lớn" }).click();
    await expect(button("Lớn")).toBeChecked();
    await expectAccessible(page, "a buttongroup");
    await page.locator('[data-nav="next"]').click();
    await expect(page.locator(".review")).toContainText("Lớn");
    await submitForm(page);
    await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
    expect((await server.submissions())[0].answers).toEqual({ more: true, size: "l" });
  } finally {
    await own.stop();
  }
});

test("a range slider is two labelled range inputs answered [low, high], its thumbs kept apart, unanswered until moved", async ({ page }) => {
  const range = JSON.stringify({
    title: "Range",
    locale: "vi",
    elements: [
      { type: "slider", name: "tuoi", title: "Độ tuổi", sliderType: "range", min: 18, max: 90, minRangeLength: 5, maxRangeLength: 40 },
      { type: "slider", name: "gia", title: "Giá", sliderType: "range", max: 1000, step: 50 },
    ],
  });
  const own = new FormHost({ "/range.json": range });
  await own.start();
  try {
    await page.goto(`${server.url}/?form=${encodeURIComponent(own.url + "/range.json")}&draft=new`);
    const age = page.locator('[data-question="tuoi"]');
    const [from, to] = [age.getByRole("slider", { name: "Từ", exact: true }), age.getByRole("slider", { name: "Đến", exact: true })];
    await expect(page.locator('[data-question="tuoi"] legend')).toHaveText("Độ tuổi");
    // Untouched: the thumbs 40 apart around the middle (maxRangeLength), and no answer.
    await expect(from).toHaveValue("34");
    await expect(to).toHaveValue("74");
    await to.fill("50");
    await from.fill("25");
    await expect(age.locator("output")).toHaveText("25 – 50");
    // A thumb stops minRangeLength before the other, and maxRangeLength from it.
    await from.fill("60");
    await expect(from).toHaveValue("45");
    await to.fill("90");
    await expect(to).toHaveValue("85");
    await from.press("ArrowRight");
    await expect(from).toHaveValue("46");
    await expectAccessible(page, "a range slider");
    await page.locator('[data-nav="next"]').click();
    const review = (title: string) => page.locator(".review dt", { hasText: title }).locator("xpath=following-sibling::dd[1]");
    await expect(review("Độ tuổi").locator(".line")).toHaveText("46 – 85");
    await expect(review("Giá").locator(".none")).toBeVisible();
    await submitForm(page);
    await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
    expect((await server.submissions())[0].answers).toEqual({ tuoi: [46, 85] });
  } finally {
    await own.stop();
  }
});
