// What the device keeps, when the device's storage works against it.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { records } from "./idb";
import { FormHost } from "./form-host";
import { submitForm } from "./fill";

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

test("an unreadable IndexedDB record is set aside, both its parts, and shown; nothing is dropped", async ({ page }) => {
  server = await PhieuServer.start(["--faults", "fail:1"]);
  await page.goto(server.url + "/");
  await expect(page.getByTestId("outbox-count")).toBeVisible(); // the app has made its database
  await page.evaluate(
    () =>
      new Promise<void>((ok, no) => {
        const r = indexedDB.open("phieu");
        r.onsuccess = () => {
          const tx = r.result.transaction(["outbox", "answers"], "readwrite");
          tx.objectStore("outbox").put("{not json at all", "bad-1");
          tx.objectStore("answers").put('{"v":1,"data":{"note":"kept aside"}}', "bad-1");
          tx.oncomplete = () => (r.result.close(), ok());
          tx.onerror = () => no(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.getByTestId("quarantined")).toContainText("outbox/bad-1");
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("0");
  // Moved, not dropped: both parts, as they were.
  expect(await records(page, "outbox")).toEqual([]);
  const aside = await page.evaluate(
    () =>
      new Promise<Record<string, string>>((ok) => {
        const r = indexedDB.open("phieu");
        r.onsuccess = () => {
          const s = r.result.transaction("quarantine").objectStore("quarantine");
          const k = s.getAllKeys(), v = s.getAll();
          v.onsuccess = () => ok(Object.fromEntries(k.result.map((key, i) => [String(key), v.result[i]])));
        };
      }),
  );
  expect(aside).toEqual({ "outbox/bad-1": "{not json at all", "answers/bad-1": '{"v":1,"data":{"note":"kept aside"}}' });
});

test("another tab's queued report shows in this tab's count at once (IndexedDB has no storage event: a BroadcastChannel)", async ({ context }) => {
  server = await PhieuServer.start(["--faults", "fail:1"]); // nothing leaves: the count stays
  const form = { title: "Ghi chú", phieu: { id: "note", version: "1" }, elements: [{ type: "text", name: "note", title: "Nội dung" }] };
  const host = new FormHost({ "/note.json": JSON.stringify(form) });
  await host.start();
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(server.url + "/?screen=outbox");
  await expect(a.getByTestId("outbox-count").locator("strong")).toHaveText("0");
  await b.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=new`);
  await b.getByLabel("Nội dung").fill("from the other tab");
  await submitForm(b);
  await expect(b.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
  // Tab a, never reloaded, lists and counts it, and takes in its new state
  // when a sender records the failed attempt.
  await expect(a.getByTestId("outbox-count").locator("strong")).toHaveText("1");
  await expect(a.locator("[data-testid=entry]")).toContainText("503", { timeout: 15_000 });
  await host.stop();
});
