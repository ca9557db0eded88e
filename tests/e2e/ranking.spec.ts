// Issue 15: SurveyJS's ranking at 360×740, put in order by dragging (a
// finger and a mouse), by the "Lên"/"Xuống" buttons, and by the keyboard
// alone; selectToRankEnabled with its two lists and maxSelectedChoices. An
// untouched ranking is unanswered (as survey-core); the review shows the
// order; the server gets SurveyJS's answer: the values, first to last.
import { test, expect, Page, Locator } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Ranking",
  locale: "vi",
  elements: [
    { type: "boolean", name: "gas", title: "Có dùng ga" },
    {
      type: "ranking", name: "needs", title: "Ưu tiên", isRequired: true,
      choices: [{ value: "dien", text: "Điện" }, { value: "nuoc", text: "Nước" }, { value: "duong", text: "Đường" }, { value: "ga", text: "Ga" }],
      choicesVisibleIf: "{item} != 'ga' or {gas} = true",
    },
    {
      type: "ranking", name: "pick", title: "Chọn và xếp", selectToRankEnabled: true, maxSelectedChoices: 2,
      choices: [{ value: "a", text: "An ninh" }, { value: "b", text: "Bệnh viện" }, { value: "c", text: "Chợ" }],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/ranking.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const open = (page: Page) => page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/ranking.json")}&draft=new`);
/** The texts of a list's rows on screen, first to last. */
const order = (page: Page, question: string, list: "r" | "u" = "r") =>
  page.locator(`[data-question="${question}"] ul[data-list="${list}"] li :is(.rank-text, .rank-add)`).allInnerTexts();
/** Which row has the focus: "needs r1" (a ranked row), "pick u0 add" (an option's button in the list not ranked yet). */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement;
    const row = e?.closest("li[data-slot]") as HTMLElement | null;
    if (!row) return e?.id;
    return `${(row.closest("[data-question]") as HTMLElement).dataset.question} ${row.dataset.slot}${e === row ? "" : e.matches(".rank-add") ? " add" : " button"}`;
  });
/** A row of a ranking: "r0", "u1". */
const row = (page: Page, question: string, slot: string) => page.locator(`[data-question="${question}"] li[data-slot="${slot}"]`);
const said = (page: Page, question: string) => page.locator(`[data-question="${question}"] [role="status"]`);

/** Drags a row's handle to the middle of `to` and a little below, by touch (Chromium's touch events, as a phone sends them) or a mouse. */
async function drag(page: Page, from: Locator, to: Locator, by: "touch" | "mouse", below = 8) {
  const a = (await from.locator(".grip").boundingBox())!;
  const b = (await to.boundingBox())!;
  const [x0, y0, y1] = [a.x + a.width / 2, a.y + a.height / 2, b.y + b.height / 2 + below];
  if (by === "mouse") {
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x0, y1, { steps: 8 });
    await page.mouse.up();
    return;
  }
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: string, y: number) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x: x0, y }] });
  await touch("touchStart", y0);
  for (let i = 1; i <= 8; i++) await touch("touchMove", y0 + ((y1 - y0) * i) / 8);
  await touch("touchEnd", y1);
  await cdp.detach();
}

test("a ranking by the keyboard alone: unanswered until touched, arrows move the focused row, Enter ranks and unranks", async ({ page }) => {
  await open(page);
  await expect.poll(() => order(page, "needs")).toEqual(["Điện", "Nước", "Đường"]);
  // Untouched, it is unanswered, as in survey-core: a required one stops Next.
  await page.locator('[data-nav="next"]').press("Enter");
  await expect(page.locator('[data-question="needs"] .error')).toHaveText("Vui lòng trả lời câu hỏi này.");
  await expect(page.locator('[data-question="needs"] .rank-no').first()).toHaveText("–");

  // From the question before it, Tab reaches the first row.
  await page.locator('[data-question="gas"]').getByRole("radio", { name: "Không", exact: true }).focus();
  await page.keyboard.press("Tab");
  expect(await focusedId(page)).toBe("needs r0");
  await page.keyboard.press("ArrowDown");
  await expect.poll(() => order(page, "needs")).toEqual(["Nước", "Điện", "Đường"]);
  // The focus stays on the row moved, and the new place is said.
  expect(await focusedId(page)).toBe("needs r1");
  await expect(said(page, "needs")).toHaveText("Điện: vị trí 2 trên 3");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => order(page, "needs")).toEqual(["Điện", "Nước", "Đường"]);
  expect(await focusedId(page)).toBe("needs r0");
  await page.keyboard.press("ArrowDown");
  await expect(page.locator('[data-question="needs"] .rank-no').first()).toHaveText("1");
  // The row's own buttons: Tab to "Lên", Enter.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Lên: Điện");
  await page.keyboard.press("Enter");
  await expect.poll(() => order(page, "needs")).toEqual(["Điện", "Nước", "Đường"]);
  expect(await focusedId(page)).toBe("needs r0");
  await page.keyboard.press("ArrowDown");
  await expect.poll(() => order(page, "needs")).toEqual(["Nước", "Điện", "Đường"]);

  // selectToRankEnabled: Enter on an option ranks it; Enter on a ranked row takes it back.
  for (let i = 0; i < 30 && (await focusedId(page)) !== "pick u0 add"; i++) await page.keyboard.press("Tab");
  expect(await focusedId(page)).toBe("pick u0 add");
  await page.keyboard.press("Enter");
  await expect.poll(() => order(page, "pick")).toEqual(["An ninh"]);
  expect(await focusedId(page)).toBe("pick r0");
  await page.keyboard.press("Enter");
  await expect.poll(() => order(page, "pick")).toEqual([]);
  await expect(said(page, "pick")).toHaveText("An ninh: đã bỏ khỏi thứ tự");
  expect(await focusedId(page)).toBe("pick u0 add");
  await page.keyboard.press("Enter");
  // The options not ranked yet are above the ranking: back up to "Chợ".
  for (let i = 0; i < 10 && (await focusedId(page)) !== "pick u1 add"; i++) await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect.poll(() => order(page, "pick")).toEqual(["An ninh", "Chợ"]);
  await expect.poll(() => order(page, "pick", "u")).toEqual(["Bệnh viện"]);
  // maxSelectedChoices: 2 are ranked, no more can be.
  await expect(row(page, "pick", "u0").locator("button")).toBeDisabled();
  await expectAccessible(page, "a ranking");

  await page.locator('[data-nav="next"]').press("Enter");
  const review = (title: string) => page.locator(".review dt", { hasText: title }).locator("xpath=following-sibling::dd[1]");
  await expect(review("Ưu tiên").locator(".line")).toHaveText(["1. Nước", "2. Điện", "3. Đường"]);
  await expect(review("Chọn và xếp").locator(".line")).toHaveText(["1. An ninh", "2. Chợ"]);
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ needs: ["nuoc", "dien", "duong"], pick: ["a", "c"] });
});

test("a ranking by touch drag, a mouse and its buttons; an option offered later goes last", async ({ page }) => {
  await open(page);
  await expect.poll(() => order(page, "needs")).toEqual(["Điện", "Nước", "Đường"]);
  // A finger drags "Đường" by its handle above "Điện".
  await drag(page, row(page, "needs", "r2"), row(page, "needs", "r0"), "touch", -12);
  await expect.poll(() => order(page, "needs")).toEqual(["Đường", "Điện", "Nước"]);
  // An option offered once the ranking is answered goes last, as survey-core ranks it.
  await page.locator('[data-question="gas"]').getByText("Có", { exact: true }).click();
  await expect.poll(() => order(page, "needs")).toEqual(["Đường", "Điện", "Nước", "Ga"]);
  await page.getByRole("button", { name: "Lên: Ga", exact: true }).click();
  await expect.poll(() => order(page, "needs")).toEqual(["Đường", "Điện", "Ga", "Nước"]);
  await expect(page.getByRole("button", { name: "Lên: Đường", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Xuống: Nước", exact: true })).toBeDisabled();

  // selectToRankEnabled by taps: two lists; a third cannot be ranked (maxSelectedChoices: 2).
  const add = (label: string) => page.locator('[data-question="pick"] .rank-add', { hasText: label });
  await expect(page.locator('[data-question="pick"] .rank-empty')).toBeVisible();
  await add("Chợ").click();
  await add("An ninh").click();
  await expect.poll(() => order(page, "pick")).toEqual(["Chợ", "An ninh"]);
  await expect(add("Bệnh viện")).toBeDisabled();
  await page.getByRole("button", { name: "Bỏ chọn: Chợ", exact: true }).click();
  await add("Bệnh viện").click();
  await expect.poll(() => order(page, "pick")).toEqual(["An ninh", "Bệnh viện"]);
  // A mouse drags the second above the first, and an option from the other list into the ranking.
  await drag(page, row(page, "pick", "r1"), row(page, "pick", "r0"), "mouse", -12);
  await expect.poll(() => order(page, "pick")).toEqual(["Bệnh viện", "An ninh"]);
  await drag(page, row(page, "pick", "r1"), row(page, "pick", "u0"), "mouse");
  await expect.poll(() => order(page, "pick")).toEqual(["Bệnh viện"]);
  await drag(page, row(page, "pick", "u1"), row(page, "pick", "r0"), "mouse", -12);
  await expect.poll(() => order(page, "pick")).toEqual(["Chợ", "Bệnh viện"]);
  await expectAccessible(page, "a ranking after dragging");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review dt", { hasText: "Ưu tiên" }).locator("xpath=following-sibling::dd[1]");
  await expect(review.locator(".line")).toHaveText(["1. Đường", "2. Điện", "3. Ga", "4. Nước"]);
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({ gas: true, needs: ["duong", "dien", "ga", "nuoc"], pick: ["c", "b"] });
});
