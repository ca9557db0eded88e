// How a person moves through a form in these tests: by the labels they read.
import { expect, Page, Locator } from "@playwright/test";
import { readFileSync } from "node:fs";

/** Picks an option of a searchable list by typing part of it, without diacritics. */
export async function pick(page: Page | Locator, label: string, typed: string, option: string) {
  const box = page.getByRole("combobox", { name: label });
  await box.click();
  await box.fill(typed);
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** Presses "Next" and expects the page titled `title` to show. */
export async function next(page: Page, title?: string) {
  await page.locator('[data-nav="next"]').click();
  if (title) await expect(page.getByRole("heading", { level: 2, name: title, exact: true })).toBeVisible();
}

/** Moves on page by page to the review, then submits. */
export async function submitForm(page: Page) {
  const submit = page.locator('[data-nav="submit"]');
  for (let i = 0; i < 20 && !(await submit.isVisible()); i++) {
    await page.locator('[data-nav="next"]').click();
    await expect(page.locator(".question.invalid")).toHaveCount(0);
  }
  await submit.click();
  // The report is stored asynchronously (IndexedDB): done, refused by a
  // check, or not stored (an alert offering the file).
  await expect(page.locator("section.done, .question.invalid, p.alert").first()).toBeVisible();
}

/** Fails on serious or critical accessibility problems (axe-core, WCAG 2.1 A and AA). */
export async function expectAccessible(page: Page, where: string) {
  if (!(await page.evaluate(() => "axe" in window))) {
    // Evaluated through DevTools, not a <script> tag: the page's
    // Content-Security-Policy rightly refuses inline scripts it does not know.
    await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  }
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return result.violations
      .filter((v: any) => v.impact === "serious" || v.impact === "critical")
      .map((v: any) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations, `accessibility of ${where}`).toEqual([]);
}

/** A screenshot for people to look at (not compared), kept with the test artifacts. */
export async function keepScreenshot(page: Page, name: string) {
  await page.screenshot({ path: `tests/artifacts/screenshots/${name}.png`, fullPage: true });
}

/** Whole years from `birth` (yyyy-mm-dd) to today, as SurveyJS's age() counts them. */
export function ageToday(birth: string): number {
  const [y, m, d] = birth.split("-").map(Number);
  const now = new Date();
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
  return age;
}
