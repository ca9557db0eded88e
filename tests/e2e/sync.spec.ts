// Offline and sync you can trust: the ten scenarios of the sync issue, each
// against a real `phieu serve` (with real fault injection) in real Chromium.
// Every test ends by asserting the rows the server holds and the states the
// device shows.
import { test, expect, Page, BrowserContext } from "@playwright/test";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { next, pick, submitForm } from "./fill";
import { PhieuServer } from "./server";
import { records } from "./idb";
import { FormHost } from "./form-host";

const NOTE = {
  $schema: "../schema/form.schema.json",
  title: { default: "Ghi chú", en: "Note" },
  phieu: { id: "note", version: "1" },
  elements: [{ type: "text", name: "note", title: { default: "Nội dung", en: "Note" }, isRequired: true }],
};
// The server's copy of the same form version is stricter: a server-side rule.
const STRICT = { ...NOTE, elements: [{ ...NOTE.elements[0], validators: [{ type: "text", minLength: 5 }] }] };

let server: PhieuServer;
let host: FormHost;
let formUrl = "";

async function startServer(extra: string[] = [], dist?: string) {
  server = await PhieuServer.start(extra, dist);
}

test.beforeEach(async () => {
  host = new FormHost({ "/note.json": JSON.stringify(NOTE) });
  await host.start();
  formUrl = host.url + "/note.json";
});
test.afterEach(async () => {
  await server?.stop();
  await host.stop();
});

const pending = (page: Page) => page.getByTestId("outbox-count").locator("strong");
const formPage = (draft = "new") => `${server.url}/?form=${encodeURIComponent(formUrl)}&draft=${draft}`;

async function swReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

async function submitNote(page: Page, text: string) {
  await page.goto(formPage());
  await page.getByLabel("Nội dung").fill(text);
  await submitForm(page);
  await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
}

/** Opens the note form once online, so it and the app work offline after. */
async function primeOffline(page: Page) {
  await page.goto(formPage());
  await expect(page.getByLabel("Nội dung")).toBeVisible();
  await swReady(page);
}

async function notes(): Promise<string[]> {
  return (await server.submissions()).map((s) => s.answers.note).sort();
}

/** POST responses to the API seen by a page: [id, status, time]. */
function watchPosts(page: Page) {
  const seen: { id: string; status: number; at: number }[] = [];
  page.on("response", async (res) => {
    const req = res.request();
    if (req.method() === "POST" && req.url().includes("/api/submissions")) {
      seen.push({ id: (await req.headerValue("idempotency-key")) || "", status: res.status(), at: Date.now() });
    }
  });
  return seen;
}

test("1. fifty reports queued offline over a reload all arrive, once each", async ({ page, context }) => {
  test.setTimeout(120_000);
  await startServer();
  await primeOffline(page);
  await context.setOffline(true);
  await server.stop();
  for (let i = 1; i <= 50; i++) await submitNote(page, `r${i}`);
  await page.reload();
  await expect(pending(page)).toHaveText("50");
  await server.launch();
  await context.setOffline(false);
  await expect(pending(page)).toHaveText("0", { timeout: 60_000 });
  const want = Array.from({ length: 50 }, (_, i) => `r${i + 1}`).sort();
  expect(await notes()).toEqual(want);
  const ids = (await server.submissions()).map((s) => s.id);
  expect(new Set(ids).size).toBe(50);
});

test("2. a server failing 30% and dropping 10% after storing gets everything exactly once", async ({ page, context }) => {
  test.setTimeout(120_000);
  await startServer();
  await primeOffline(page);
  await context.setOffline(true);
  for (let i = 1; i <= 20; i++) await submitNote(page, `f${i}`);
  await server.relaunch(["--faults", "fail:0.3,drop:0.1,seed:5"]);
  const posts = watchPosts(page);
  await context.setOffline(false);
  await expect(pending(page)).toHaveText("0", { timeout: 90_000 });
  expect(await notes()).toEqual(Array.from({ length: 20 }, (_, i) => `f${i + 1}`).sort());
  // Some attempts failed or were cut, yet each id was created once.
  expect(posts.some((p) => p.status === 503)).toBe(true);
  expect(posts.filter((p) => p.status === 201).length).toBe(20);
  await page.goto(`${server.url}/?screen=outbox`);
  await expect(page.locator('[data-testid=entry][data-state="sent"]')).toHaveCount(20);
});

test("3. a 429 with Retry-After: 2 makes the phone wait at least that long", async ({ page }) => {
  await startServer(["--faults", "fail:1,status:429,retry-after:2"]);
  const posts = watchPosts(page);
  await submitNote(page, "slow down");
  await expect.poll(() => posts.filter((p) => p.status === 429).length).toBe(1);
  const refusedAt = posts[0].at;
  await server.relaunch([]);
  await expect(pending(page)).toHaveText("0", { timeout: 20_000 });
  const retries = posts.slice(1);
  expect(retries.length).toBeGreaterThan(0);
  for (const p of retries) expect(p.at - refusedAt).toBeGreaterThanOrEqual(2000);
  expect(await notes()).toEqual(["slow down"]);
});

test("4. a 422 marks the report refused with the server's words; the rest go; fixed, it arrives", async ({ page }) => {
  const forms = mkdtempSync(path.join(tmpdir(), "phieu-forms-"));
  writeFileSync(path.join(forms, "note.json"), JSON.stringify(STRICT));
  await startServer(["--forms", forms]);
  await submitNote(page, "abc");
  // Let the refusal be recorded before the page moves on (leaving mid-request
  // would cut the reading of the server's answer).
  await expect
    .poll(async () => (await records(page, "outbox")).map((e) => e.state))
    .toEqual(["failed"]);
  await submitNote(page, "long enough");
  await expect(pending(page)).toHaveText("1", { timeout: 15_000 });
  await page.goto(`${server.url}/?screen=outbox`);
  const refused = page.locator('[data-testid=entry][data-state="failed"]');
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText("422");
  await expect(refused).toContainText("Vui lòng nhập ít nhất 5 ký tự.");
  expect(await notes()).toEqual(["long enough"]);
  const oldId = await refused.getAttribute("data-id");

  await refused.getByRole("button", { name: "Sửa và gửi lại" }).click();
  await expect(page.getByLabel("Nội dung")).toHaveValue("abc");
  await page.getByLabel("Nội dung").fill("abc, now fixed");
  await submitForm(page);
  await expect(pending(page)).toHaveText("0", { timeout: 15_000 });
  const rows = await server.submissions();
  expect(rows.map((s) => s.answers.note).sort()).toEqual(["abc, now fixed", "long enough"]);
  expect(rows.find((s) => s.answers.note === "abc, now fixed").meta.replaces).toBe(oldId);
  await page.goto(`${server.url}/?screen=outbox`);
  await expect(page.locator('[data-testid=entry][data-state="failed"]')).toHaveCount(0);
});

test("5. a captive portal's redirect is never taken for success", async ({ page }) => {
  await startServer();
  await page.goto(`${server.url}/?screen=settings`);
  await page.getByLabel("Địa chỉ nhận phiếu").fill(host.url + "/portal");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  await submitNote(page, "behind a portal");
  await expect.poll(() => host.portalHits).toBeGreaterThan(0);
  await page.goto(`${server.url}/?screen=outbox`);
  const entry = page.locator("[data-testid=entry]");
  await expect(entry).toHaveAttribute("data-state", "waiting");
  await expect(entry).toContainText("Wi-Fi");
  await expect(pending(page)).toHaveText("1");
  expect(await server.submissions()).toEqual([]);
});

test("6. with storage full the person is told, and the report can still leave as a file", async ({ page }) => {
  await startServer();
  await page.goto(formPage());
  await expect(page.getByLabel("Nội dung")).toBeVisible();
  // The site's storage quota, as a full phone has it: no room left for IndexedDB.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.url, quotaSize: 1 });
  await page.getByLabel("Nội dung").fill("a report that does not fit");
  await expect(page.getByTestId("storage-error")).toContainText("Bộ nhớ trình duyệt đã đầy");
  await submitForm(page);
  // Still on the review: nothing was lost.
  await expect(page.locator(".review")).toContainText("a report that does not fit");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Xuất phiếu này ra tệp" }).click()]);
  const file = JSON.parse(readFileSync((await download.path())!, "utf8"));
  expect(file.entries[0].submission.answers).toEqual({ note: "a report that does not fit" });
  expect(await server.submissions()).toEqual([]);
});

test("7. a corrupted record is set aside and shown; the others load and go", async ({ page }) => {
  await startServer(["--faults", "fail:1"]); // nothing is accepted until the check below
  await page.goto(server.url + "/");
  const good = {
    v: 1,
    data: {
      submission: {
        id: "good-1",
        form: { id: "note", version: "1" },
        startedAt: "2026-11-26T01:00:00.000Z",
        completedAt: "2026-11-26T01:01:00.000Z",
        answers: { note: "survived" },
        meta: { locale: "vi", appVersion: "0.1.0" },
      },
      state: "waiting",
      attempts: 0,
      nextAttemptAt: 0,
      queuedAt: 1,
      lastError: null,
    },
  };
  await page.evaluate((good) => {
    localStorage.setItem("phieu/outbox/bad-1", "{not json at all");
    localStorage.setItem("phieu/outbox/good-1", JSON.stringify(good));
  }, good);
  await server.relaunch([]);
  await page.reload();
  await expect(page.getByTestId("quarantined")).toContainText("phieu/outbox/bad-1");
  await expect(pending(page)).toHaveText("0", { timeout: 15_000 });
  expect(await notes()).toEqual(["survived"]);
  const kept = await page.evaluate(() => localStorage.getItem("phieu/quarantine/phieu/outbox/bad-1"));
  expect(kept).toBe("{not json at all");
});

test("8. two tabs submitting and syncing at once: no duplicates, nothing lost", async ({ context }) => {
  test.setTimeout(90_000);
  await startServer();
  const a = await context.newPage();
  const b = await context.newPage();
  await primeOffline(a);
  await b.goto(formPage());
  const posts = [...[a, b].map(watchPosts)];
  await context.setOffline(true);
  for (let i = 1; i <= 5; i++) {
    await submitNote(a, `a${i}`);
    await submitNote(b, `b${i}`);
  }
  await expect(pending(a)).toHaveText("10");
  await context.setOffline(false);
  await expect(pending(a)).toHaveText("0", { timeout: 30_000 });
  await expect(pending(b)).toHaveText("0", { timeout: 30_000 });
  expect(await notes()).toEqual(["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "b5"]);
  const all = posts.flat();
  expect(all.filter((p) => p.status === 201).length).toBe(10);
  expect(all.filter((p) => p.status === 200).length).toBe(0); // nothing sent twice
});

test("9. an app update while a draft is open and reports are queued loses nothing", async ({ page }) => {
  test.setTimeout(90_000);
  const dist = mkdtempSync(path.join(tmpdir(), "phieu-dist-"));
  cpSync(path.join(__dirname, "../../dist"), dist, { recursive: true });
  await startServer(["--faults", "fail:1"], dist); // reports stay queued
  await primeOffline(page);
  await submitNote(page, "queued 1");
  await submitNote(page, "queued 2");
  await page.goto(formPage());
  await page.getByLabel("Nội dung").fill("unfinished draft");
  await expect(pending(page)).toHaveText("2");

  // A new build is deployed: its service worker differs.
  appendFileSync(path.join(dist, "sw.js"), "\n// a new build\n");
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg!.update();
  });
  // The new version waits for consent: the person is told, and nothing
  // happens behind their back. (Chromium sometimes activates a waiting worker
  // on its own when the suite has run many pages; then the update simply
  // takes effect at the next start, which must lose nothing either.)
  const banner = page.getByText("Đã có phiên bản mới của ứng dụng.");
  const told = await banner.waitFor({ timeout: 20_000 }).then(() => true, () => false);
  await expect(page.getByLabel("Nội dung")).toHaveValue("unfinished draft");
  if (told) {
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Cập nhật" }).click()]);
  } else {
    await page.reload();
  }
  await expect(page.getByLabel("Nội dung")).toHaveValue("unfinished draft");
  await expect(pending(page)).toHaveText("2");
  await server.relaunch([]);
  await page.evaluate(() => dispatchEvent(new Event("online")));
  await expect(pending(page)).toHaveText("0", { timeout: 20_000 });
  expect(await notes()).toEqual(["queued 1", "queued 2"]);
});

test("10. reports exported as JSON and CSV import into a fresh browser, the same ones", async ({ page, context, browser }) => {
  await startServer();
  await primeOffline(page);
  await context.setOffline(true);
  await submitNote(page, "xuất một");
  await submitNote(page, "xuất hai");
  await page.goto(`${server.url}/?screen=outbox`);
  const [json] = await Promise.all([page.waitForEvent("download"), page.locator(".toolbar").getByRole("button", { name: "Xuất JSON" }).click()]);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.locator(".toolbar").getByRole("button", { name: "Xuất CSV" }).click()]);
  const exported = JSON.parse(readFileSync((await json.path())!, "utf8"));
  const ids = exported.entries.map((e: any) => e.submission.id).sort();
  expect(ids.length).toBe(2);
  const lines = readFileSync((await csv.path())!, "utf8").replace(/^\uFEFF/, "").split("\r\n");
  expect(lines[0]).toBe("id,form,formVersion,startedAt,completedAt,locale,state,note");
  expect(lines[1]).toBe(",,,,,,,Nội dung");
  expect(lines.slice(2, 4).map((l) => l.split(",").pop()).sort()).toEqual(["xuất hai", "xuất một"]);

  const fresh = await browser.newContext({ locale: "vi-VN" });
  const other = await fresh.newPage();
  await other.goto(`${server.url}/?screen=outbox`);
  await other.getByTestId("import").setInputFiles((await json.path())!);
  await expect(other.getByText("Số phiếu đã nhập: 2")).toBeVisible();
  await expect(pending(other)).toHaveText("0", { timeout: 15_000 });
  expect((await server.submissions()).map((s) => s.id).sort()).toEqual(ids);
  await fresh.close();
});

test("a token is asked for on 401, sent to its own endpoint only; a form's own webhook gets the flat answers", async ({ page }) => {
  await startServer(["--token", "s3cret-2026"]);
  const hookForm = {
    ...NOTE,
    phieu: { id: "hooked", version: "1", submit: { url: host.url + "/hook", headers: { "X-Sheet": "2026" }, format: "flat" } },
  };
  const hookUrl = host.url + "/hooked.json";
  (host as any).files["/hooked.json"] = JSON.stringify(hookForm);

  await submitNote(page, "needs a token");
  await expect(page.getByText("Tạm dừng gửi: hãy kiểm tra địa chỉ máy chủ và mã truy cập ở mục Cài đặt.")).toBeVisible({ timeout: 15_000 });
  await expect(pending(page)).toHaveText("1");
  await page.goto(`${server.url}/?screen=settings`);
  await page.getByLabel("Mã truy cập").fill("s3cret-2026");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(pending(page)).toHaveText("0", { timeout: 15_000 });
  expect(await server.submissions({ Authorization: "Bearer s3cret-2026" })).toHaveLength(1);

  await page.goto(`${server.url}/?form=${encodeURIComponent(hookUrl)}&draft=new`);
  await page.getByLabel("Nội dung").fill("to the spreadsheet");
  await submitForm(page);
  await expect.poll(() => host.hooks.length).toBe(1);
  const hook = host.hooks[0];
  expect(hook.body).toEqual({ note: "to the spreadsheet" });
  expect(hook.headers["x-sheet"]).toBe("2026");
  expect(hook.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(hook.headers["authorization"]).toBeUndefined(); // the token is for the phieu endpoint only
  await expect(pending(page)).toHaveText("0");
});

test("the app is installable: manifest, icons, and settings show storage", async ({ page }) => {
  await startServer();
  await page.goto(`${server.url}/?screen=settings`);
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await fetch(new URL(href!, server.url + "/").toString())).json();
  expect(manifest).toMatchObject({ short_name: "Phiếu", display: "standalone", start_url: "./", theme_color: "#1d4e89" });
  expect(manifest.description).toContain("Fill in");
  const purposes = manifest.icons.map((i: any) => `${i.sizes} ${i.purpose}`);
  expect(purposes).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
  for (const icon of manifest.icons) {
    const res = await fetch(new URL(icon.src, server.url + "/").toString());
    expect(res.headers.get("content-type")).toContain("image/png");
  }
  await expect(page.getByTestId("storage")).toContainText("Dung lượng đã dùng");
});

test("drafts: several per form, listed with progress; continue, duplicate, discard", async ({ page }) => {
  await startServer();
  for (const text of ["nháp một", "nháp hai"]) {
    await page.goto(formPage());
    await page.getByLabel("Nội dung").fill(text);
    await expect(page).toHaveURL(/draft=[0-9a-f-]{36}/); // a reload resumes this draft
  }
  await page.goto(server.url + "/");
  const drafts = page.getByTestId("drafts").locator("li");
  await expect(drafts).toHaveCount(2);
  await expect(drafts.first()).toContainText("Ghi chú");
  await expect(drafts.first()).toContainText("1/1 câu đã trả lời");
  await expect(drafts.first()).toContainText("“nháp hai”"); // which one it is
  await expect(drafts.last()).toContainText("“nháp một”");
  await drafts.first().getByRole("button", { name: "Nhân bản" }).click();
  await expect(drafts).toHaveCount(3);
  page.once("dialog", (d) => d.accept());
  await drafts.first().getByRole("button", { name: "Xoá" }).click();
  await expect(drafts).toHaveCount(2);
  page.once("dialog", (d) => d.dismiss());
  await drafts.first().getByRole("button", { name: "Xoá" }).click();
  await expect(drafts).toHaveCount(2);
  await drafts.last().getByRole("link", { name: "Điền tiếp" }).click();
  await expect(page.getByLabel("Nội dung")).toHaveValue("nháp một");
});

test("a draft keeps the form version it was started with when the form changes", async ({ page }) => {
  await startServer();
  await page.goto(formPage());
  await page.getByLabel("Nội dung").fill("started on version 1");
  await expect(page).toHaveURL(/draft=[0-9a-f-]{36}/);
  const draftUrl = page.url();
  (host as any).files["/note.json"] = JSON.stringify({
    ...NOTE,
    phieu: { id: "note", version: "2" },
    elements: [{ type: "text", name: "summary", title: "Tóm tắt", isRequired: true }],
  });
  await page.goto(draftUrl);
  await expect(page.getByLabel("Nội dung")).toHaveValue("started on version 1");
  await submitForm(page);
  await expect(pending(page)).toHaveText("0", { timeout: 15_000 });
  const [row] = await server.submissions();
  expect(row.form).toEqual({ id: "note", version: "1" });
  // A new report takes the new version.
  await page.goto(formPage());
  await expect(page.getByLabel("Tóm tắt")).toBeVisible();
});
