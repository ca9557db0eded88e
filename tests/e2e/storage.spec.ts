// What the device keeps, when the device's storage works against it.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";

let server: PhieuServer;
test.afterEach(async () => {
  await server?.stop();
});

test("an unreadable record is kept where it is when storage is too full to set it aside", async ({ page }) => {
  server = await PhieuServer.start();
  await page.goto(server.url + "/");
  await expect(page.getByTestId("outbox-count")).toBeVisible();
  await page.evaluate(() => {
    localStorage.setItem("phieu/outbox/bad-1", "{not json at all");
    for (const size of [1 << 20, 1 << 16, 1 << 10, 64, 1]) {
      const chunk = "x".repeat(size);
      try {
        for (let i = 0; ; i++) localStorage.setItem(`junk/${size}/${i}`, chunk);
      } catch {
        /* full at this size; try smaller */
      }
    }
  });
  await page.reload();
  // Shown to the person, and not deleted: its copy could not be written.
  await expect(page.getByTestId("quarantined")).toContainText("phieu/outbox/bad-1");
  expect(await page.evaluate(() => localStorage.getItem("phieu/outbox/bad-1"))).toBe("{not json at all");

  // With room again, it is moved aside at the next start, not lost.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("junk/")) localStorage.removeItem(k);
  });
  await page.reload();
  await expect(page.getByTestId("quarantined")).toContainText("phieu/outbox/bad-1");
  expect(await page.evaluate(() => localStorage.getItem("phieu/quarantine/phieu/outbox/bad-1"))).toBe("{not json at all");
  expect(await page.evaluate(() => localStorage.getItem("phieu/outbox/bad-1"))).toBeNull();
});
