// How a person moves through a form in these tests: by the labels they read.
import { expect, Page, Locator } from "@playwright/test";

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
}
