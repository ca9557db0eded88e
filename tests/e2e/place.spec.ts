// phieu's own `geopoint` (issue 14) at 360×740: the place is asked for on a
// tap, retried until it is as precise as the form asks or the person accepts
// a worse one, shown with its accuracy and a link to the phone's map app, and
// sent as {latitude, longitude, accuracy}; a refused permission is explained
// and the rest of the report still saves.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { expectAccessible, submitForm } from "./fill";

const form = JSON.stringify({
  title: "Điểm ngập",
  locale: "vi",
  elements: [
    { type: "text", name: "what", title: "Mô tả" },
    { type: "geopoint", name: "place", title: "Vị trí", isRequired: true, phieu: { accuracy: 30 } },
    { type: "comment", name: "why", title: "Vì sao vị trí chưa chính xác?", visibleIf: "{place.accuracy} > 30" },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/place.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const open = (page) => page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/place.json")}&draft=new`);

test("a tap finds the place, shows it with its accuracy and a map link, and it arrives as latitude, longitude and accuracy", async ({ page, context }) => {
  await context.grantPermissions(["geolocation"]);
  await context.setGeolocation({ latitude: 21.028511, longitude: 105.854167, accuracy: 12 });
  await open(page);
  await page.getByLabel("Mô tả").fill("Ngõ 12 ngập nửa bánh xe");
  // Nothing is asked for until the person taps.
  await expect(page.getByTestId("place")).toBeHidden();
  await page.getByRole("button", { name: "Lấy vị trí" }).click();
  await expect(page.getByTestId("place")).toContainText("21.028511, 105.854167 (±12 m)");
  await expect(page.getByRole("link", { name: "Mở bản đồ" })).toHaveAttribute("href", "geo:21.028511,105.854167?q=21.028511,105.854167");
  await expect(page.getByRole("button", { name: "Lấy lại vị trí" })).toBeVisible();
  await expect(page.getByLabel("Vì sao vị trí chưa chính xác?")).toBeHidden();
  await expectAccessible(page, "a geopoint with its place");
  await submitForm(page);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("0", { timeout: 15_000 });
  const [row] = await server.submissions();
  expect(row.answers.place).toEqual({ latitude: 21.028511, longitude: 105.854167, accuracy: 12 });
});

test("a fix worse than asked for is offered, never stored unasked; accepted, expressions see its accuracy", async ({ page, context }) => {
  await context.grantPermissions(["geolocation"]);
  await context.setGeolocation({ latitude: 21.0, longitude: 105.8, accuracy: 120 });
  await open(page);
  await page.getByRole("button", { name: "Lấy vị trí" }).click();
  await expect(page.getByTestId("place-note")).toContainText("chưa đủ chính xác", { timeout: 15_000 });
  await expect(page.getByTestId("place-note")).toContainText("±120 m");
  await expect(page.getByTestId("place")).toBeHidden();
  await page.getByRole("button", { name: "Dùng vị trí này" }).click();
  await expect(page.getByTestId("place")).toContainText("21.000000, 105.800000 (±120 m)");
  // {place.accuracy} > 30: the form asks why.
  await expect(page.getByLabel("Vì sao vị trí chưa chính xác?")).toBeVisible();
});

test("a refused permission is explained in plain words, and the rest of the report is kept as a draft", async ({ page, context }) => {
  await context.clearPermissions();
  await open(page);
  await page.getByLabel("Mô tả").fill("giữ lại dù không có vị trí");
  await page.getByRole("button", { name: "Lấy vị trí" }).click();
  await expect(page.getByTestId("place-note")).toContainText("chưa được phép lấy vị trí");
  await expect(page.getByTestId("place-note")).toContainText("Cài đặt");
  // The question is required: moving on is refused, the draft is kept.
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator('[data-question="place"]')).toHaveClass(/invalid/);
  await page.goto(server.url + "/");
  await expect(page.getByText("giữ lại dù không có vị trí")).toBeVisible();
});
