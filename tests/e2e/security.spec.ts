// The app against hostile or careless settings and forms.
import { test, expect } from "@playwright/test";
import { submitForm } from "./fill";
import { PhieuServer } from "./server";
import { records } from "./idb";
import { FormHost, NOTE } from "./form-host";

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/note.json": JSON.stringify(NOTE) });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

// Never resolved or reached: the app must refuse before any request.
const PLAIN = "http://phieu-office.invalid/api/submissions";

test("settings refuse a token that would travel over plain http to another machine", async ({ page }) => {
  await page.goto(server.url + "/?screen=settings");
  await page.getByLabel("Địa chỉ nhận phiếu").fill(PLAIN);
  await page.getByLabel("Mã truy cập").fill("s3cret-token");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.locator("#token-error")).toContainText("https://");
  expect(await page.evaluate(() => localStorage.getItem("phieu/settings"))).toBeNull();
  // The same token to this machine's own server is fine.
  await page.getByLabel("Địa chỉ nhận phiếu").fill(server.url + "/api/submissions");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.locator("#token-error")).toBeEmpty();
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem("phieu/settings")))!).data.token).toBe("s3cret-token");
});

test("a token already stored for a plain-http endpoint is held back, the queue paused and the report kept", async ({ page }) => {
  const sent: string[] = [];
  await page.route("http://phieu-office.invalid/**", (route) => {
    sent.push(route.request().url());
    return route.abort();
  });
  await page.goto(server.url + "/");
  await page.evaluate((endpoint) => {
    localStorage.setItem("phieu/settings", JSON.stringify({ v: 1, data: { endpoint, token: "s3cret-token" } }));
  }, PLAIN);
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=new`);
  await page.getByLabel("Nội dung").fill("giữ lại");
  await submitForm(page);
  await expect(page.getByTestId("paused")).toBeVisible();
  await page.goto(server.url + "/?screen=outbox");
  await expect(page.locator("[data-testid=entry]")).toContainText("https://");
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("1");
  expect(sent).toEqual([]);
  const kept = (await records(page, "outbox")).length;
  expect(kept).toBe(1);
});

test("a form given as a data: address is refused, and not preloaded", async ({ page }) => {
  const form = "data:application/json," + encodeURIComponent(JSON.stringify(NOTE));
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(`${server.url}/?form=${encodeURIComponent(form)}`);
  await expect(page.getByRole("alert")).toContainText("http:// hoặc https://");
  await expect(page.getByLabel("Nội dung")).toHaveCount(0);
  expect(requested.filter((u) => u.startsWith("data:"))).toEqual([]);
});

test("a form from another site says where it comes from; the app's own forms do not", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=new`);
  await expect(page.getByTestId("form-origin")).toContainText(host.url);
  await page.goto(`${server.url}/?form=forms%2Fphan-anh-du-luan.json&draft=new`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("form-origin")).toHaveCount(0);
});

test("a form claiming another's id and a future version never stands in for it", async ({ page }) => {
  // A hostile site publishes "note" version 2 first, sending reports to itself.
  const evil = new FormHost({
    "/note.json": JSON.stringify({ ...NOTE, title: "Giả mạo", phieu: { id: "note", version: "2", submit: { url: "http://127.0.0.1:9/steal" } } }),
  });
  await evil.start();
  try {
    await page.goto(`${server.url}/?form=${encodeURIComponent(evil.url + "/note.json")}&draft=new`);
    await expect(page.getByRole("heading", { level: 1, name: "Giả mạo" })).toBeVisible();
  } finally {
    await evil.stop();
  }
  // Later the real form reaches version 2; a draft of it is started and reopened.
  (host as any).files["/note.json"] = JSON.stringify({ ...NOTE, title: "Ghi chú mới", phieu: { id: "note", version: "2" } });
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=new`);
  await expect(page.getByRole("heading", { level: 1, name: "Ghi chú mới" })).toBeVisible();
  await page.getByLabel("Nội dung").fill("của tôi");
  await expect(page).toHaveURL(/draft=(?!new)/);
  await host.stop(); // the draft reopens on its stored copy
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Ghi chú mới" })).toBeVisible();
  await expect(page.getByLabel("Nội dung")).toHaveValue("của tôi");
  await host.start();
});

test("an enrolment link's token leaves the address bar and the history at once", async ({ page }) => {
  await page.goto(`${server.url}/?screen=enrol#token=s3cret-enrolment-token`);
  await expect(page.getByTestId("outbox-count")).toBeVisible();
  expect(page.url()).not.toContain("s3cret");
  expect(await page.evaluate(() => location.hash)).toBe("");
});
