// The first start of the version that keeps reports and drafts in IndexedDB:
// what the release before it wrote in localStorage moves over, and no old
// copy goes before its new one is stored.
import { test, expect, Page } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { records } from "./idb";

const NOTE = {
  title: { default: "Ghi chú", en: "Note" },
  phieu: { id: "note", version: "1" },
  elements: [{ type: "text", name: "note", title: { default: "Nội dung", en: "Note" }, isRequired: true }],
};

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  host = new FormHost({ "/note.json": JSON.stringify(NOTE) });
  await host.start();
});
test.afterEach(async () => {
  await server?.stop();
  await host.stop();
});

// Records exactly as the previous release stored them: phieu_core::record::wrap
// of an Entry and a Draft, one localStorage key each.
function entry(id: string, note: string, state: string, extra: object = {}) {
  return {
    v: 1,
    data: {
      submission: {
        id,
        form: { id: "note", version: "1" },
        startedAt: "2026-11-26T01:00:00.000Z",
        completedAt: "2026-11-26T01:01:00.000Z",
        answers: { note },
        meta: { locale: "vi", appVersion: "0.1.0" },
      },
      state,
      attempts: 0,
      nextAttemptAt: 0,
      queuedAt: 1,
      lastError: null,
      sentAt: null,
      notBefore: 0,
      ...extra,
    },
  };
}
const draft = (formUrl: string) => ({
  v: 1,
  data: {
    id: "draft-1",
    formUrl,
    formId: "note",
    formVersion: "1",
    title: { default: "Ghi chú", en: "Note" },
    startedAt: "2026-11-26T02:00:00.000Z",
    updatedAt: 1764122400000,
    answers: { note: "nửa chừng" },
    progress: [1, 1],
    replaces: null,
    page: 0,
  },
});

/** The previous release's records, written straight into localStorage. */
async function seed(page: Page) {
  const old: Record<string, string> = {
    "phieu/outbox/old-waiting": JSON.stringify(entry("old-waiting", "chờ gửi", "waiting", { queuedAt: 1 })),
    "phieu/outbox/old-failed": JSON.stringify(
      entry("old-failed", "bị từ chối", "failed", { queuedAt: 2, attempts: 1, lastError: "HTTP 422", problem: { kind: "server", code: 422, message: "sai" } }),
    ),
    "phieu/outbox/old-sent": JSON.stringify(entry("old-sent", "đã gửi", "sent", { queuedAt: 3, sentAt: Date.now() })),
    "phieu/draft/draft-1": JSON.stringify(draft(host.url + "/note.json")),
  };
  await page.goto(server.url + "/api/health");
  await page.evaluate((old) => {
    for (const [k, v] of Object.entries(old)) localStorage.setItem(k, v);
  }, old);
  return old;
}

const oldKeys = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith("phieu/outbox/") || k.startsWith("phieu/draft/"))
      .sort(),
  );
const pending = (page: Page) => page.getByTestId("outbox-count").locator("strong");

test("records written by the previous release all reappear after the upgrade, and then leave localStorage", async ({ page }) => {
  server = await PhieuServer.start(["--faults", "fail:1"]); // nothing leaves: everything stays to be checked
  await seed(page);
  await page.goto(server.url + "/");
  await expect(pending(page)).toHaveText("2");
  await expect(page.getByTestId("drafts")).toContainText("nửa chừng");
  await expect(page.getByTestId("storage-error")).toBeHidden();
  expect(await oldKeys(page)).toEqual([]);
  // In IndexedDB, whole: the entries, their answers, the draft.
  const stored = await records(page, "outbox");
  expect(stored.map((e) => [e.submission.id, e.state]).sort()).toEqual([
    ["old-failed", "failed"],
    ["old-sent", "sent"],
    ["old-waiting", "waiting"],
  ]);
  expect((await records(page, "answers")).map((a) => a.note).sort()).toEqual(["bị từ chối", "chờ gửi", "đã gửi"]);
  expect((await records(page, "drafts")).map((d) => d.answers.note)).toEqual(["nửa chừng"]);

  // The outbox screen and its export have every answer; the draft reopens.
  await page.goto(server.url + "/?screen=outbox");
  await expect(page.locator("[data-testid=entry]")).toHaveCount(3);
  await expect(page.locator('[data-testid=entry][data-state="failed"]')).toContainText("422");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Xuất JSON" }).first().click()]);
  const file = JSON.parse(await (await import("node:fs/promises")).readFile((await download.path())!, "utf8"));
  expect(file.entries.map((e: any) => e.submission.answers.note).sort()).toEqual(["bị từ chối", "chờ gửi", "đã gửi"]);
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=draft-1`);
  await expect(page.getByLabel("Nội dung")).toHaveValue("nửa chừng");

  // And they are sent from there.
  await server.relaunch([]);
  await page.goto(server.url + "/");
  await expect(pending(page)).toHaveText("1", { timeout: 20_000 }); // the refused one waits for a fix
  expect((await server.submissions()).map((s) => s.answers.note)).toEqual(["chờ gửi"]);
});

test("a move whose transaction does not commit deletes nothing, is shown, and the app works from the old records", async ({ context }) => {
  server = await PhieuServer.start(["--faults", "fail:1"]);
  const page = await context.newPage();
  // Every IndexedDB write on this page is stored by its request and then
  // undone: the transaction aborts instead of committing. Deleting an old
  // copy when the request succeeds, before the commit, would lose it.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [any, IDBValidKey?]) {
      const request = put.apply(this, args);
      const tx = this.transaction;
      request.addEventListener("success", () => {
        try {
          tx.abort();
        } catch {
          /* already over */
        }
      });
      return request;
    };
  });
  const old = await seed(page);
  await page.goto(server.url + "/");
  await expect(page.getByTestId("storage-error")).toBeVisible();
  // Nothing deleted, no answer changed (the sender may already have noted
  // a failed attempt there); nothing half-stored in IndexedDB.
  expect(await oldKeys(page)).toEqual(Object.keys(old).sort());
  for (const [k, v] of Object.entries(old)) {
    const now = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), k))!).data;
    expect(now.submission?.answers ?? now.answers).toEqual(JSON.parse(v).data.submission?.answers ?? JSON.parse(v).data.answers);
  }
  expect(await records(page, "outbox")).toEqual([]);
  expect(await records(page, "answers")).toEqual([]);
  // The app works from them: counted, listed, exported, sent.
  await expect(pending(page)).toHaveText("2");
  await expect(page.getByTestId("drafts")).toContainText("nửa chừng");
  await page.goto(server.url + "/?screen=outbox");
  await expect(page.locator("[data-testid=entry]")).toHaveCount(3);
  await server.relaunch([]);
  await page.evaluate(() => dispatchEvent(new Event("online")));
  await expect(pending(page)).toHaveText("1", { timeout: 20_000 });
  expect((await server.submissions()).map((s) => s.answers.note)).toEqual(["chờ gửi"]);
  // Its new state was kept where it is.
  const states = await page.evaluate(() =>
    ["old-waiting", "old-failed"].map((id) => JSON.parse(localStorage.getItem("phieu/outbox/" + id)!).data.state),
  );
  expect(states).toEqual(["sent", "failed"]);

  // The next start, with IndexedDB working, moves them.
  const next = await context.newPage();
  await next.goto(server.url + "/");
  await expect(pending(next)).toHaveText("1");
  await expect(next.getByTestId("drafts")).toContainText("nửa chừng");
  expect(await oldKeys(next)).toEqual([]);
  expect((await records(next, "outbox")).map((e) => [e.submission.id, e.state]).sort()).toEqual([
    ["old-failed", "failed"],
    ["old-sent", "sent"],
    ["old-waiting", "sent"],
  ]);
  expect((await records(next, "answers")).length).toBe(3);
});
