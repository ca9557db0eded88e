// The app against hostile or careless settings and forms.
import { test, expect } from "@playwright/test";
import { submitForm } from "./fill";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";

const NOTE = {
  title: "Ghi chú",
  phieu: { id: "note", version: "1" },
  elements: [{ type: "text", name: "note", title: "Nội dung", isRequired: true }],
};

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
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("phieu/outbox/")).length);
  expect(kept).toBe(1);
});
