// The walking skeleton, end to end: a real Chromium, the real built app and a
// real `phieu serve`. No fetch is mocked; "offline" means the server is gone.
import { test, expect, Page } from "@playwright/test";
import { next, pick, submitForm } from "./fill";
import { PhieuServer } from "./server";

const FORM = "forms/phan-anh-du-luan.json";
const formPath = `/?form=${encodeURIComponent(FORM)}`;

const expected = {
  collaborator: "Nguyễn Thị Lan",
  phone: "0912345678",
  district: "ha-dong",
  reportDate: "2026-11-20",
  topic: "moi-truong",
  channels: ["zalo", "facebook"],
  opinion: "Bà con phản ánh rác thải ùn ứ ở chợ Hà Đông, \"bốc mùi\" sau mưa.",
  spread: "khu-dan-cu",
  urgent: true,
  proposal: "Tăng chuyến thu gom rác buổi tối.",
};

async function fillFirstHalf(page: Page) {
  await page.getByLabel("Họ và tên cộng tác viên").fill(expected.collaborator);
  await page.getByLabel("Số điện thoại").fill(expected.phone);
  await pick(page, "Quận, huyện, thị xã", "ha dong", "Quận Hà Đông");
  await page.getByLabel("Ngày ghi nhận").fill(expected.reportDate);
}

async function fillSecondHalf(page: Page) {
  await next(page, "Nội dung dư luận");
  await page.getByRole("radio", { name: "Môi trường" }).check();
  // Ticked out of order on purpose: answers keep the author's order.
  await page.getByRole("checkbox", { name: "Facebook" }).check();
  await page.getByRole("checkbox", { name: "Zalo" }).check();
  await page.getByLabel("Ý kiến của người dân").fill(expected.opinion);
  await page.getByRole("radio", { name: "Trong một khu dân cư" }).check();
  await page.getByRole("radio", { name: "Có", exact: true }).check();
  await page.getByLabel("Đề xuất, kiến nghị").fill(expected.proposal);
}

async function outboxCount(page: Page) {
  return page.getByTestId("outbox-count").locator("strong");
}

async function serviceWorkerReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

let server: PhieuServer;
test.beforeEach(async () => {
  server = await PhieuServer.start();
});
test.afterEach(async () => {
  await server.stop();
});

test("home lists the example form and opens it", async ({ page }) => {
  await page.goto(server.url + "/");
  const link = page.getByRole("link", { name: /Phiếu phản ánh dư luận xã hội/ });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: "Phiếu phản ánh dư luận xã hội" })).toBeVisible();
  // 30 districts are searched by typing, diacritics optional.
  await page.getByRole("combobox", { name: "Quận, huyện, thị xã" }).click();
  await expect(page.getByRole("option")).toHaveCount(30);
  await page.getByRole("combobox", { name: "Quận, huyện, thị xã" }).fill("dong");
  await expect(page.getByRole("option")).toHaveText(["Quận Đống Đa", "Quận Hà Đông", "Huyện Đông Anh"]);
  await page.getByRole("combobox", { name: "Quận, huyện, thị xã" }).fill("HA DONG");
  await expect(page.getByRole("option")).toHaveText(["Quận Hà Đông"]);
  await page.getByRole("combobox", { name: "Quận, huyện, thị xã" }).fill("ứng hoà");
  await expect(page.getByRole("option")).toHaveText(["Huyện Ứng Hòa"]);
});

test("(a) a report filled online reaches the server exactly as answered", async ({ page }) => {
  await page.goto(server.url + formPath);
  await page.locator('[data-nav="next"]').click();
  // Required questions block the next page, each with its message, and focus goes to the first.
  await expect(page.getByText("Còn câu hỏi chưa trả lời đúng.")).toBeVisible();
  await expect(page.locator(".question.invalid")).toHaveCount(3);
  await expect(page.getByLabel("Họ và tên cộng tác viên")).toBeFocused();
  await expect(page.getByLabel("Họ và tên cộng tác viên")).toHaveAttribute("aria-invalid", "true");
  expect(await server.submissions()).toEqual([]);

  await fillFirstHalf(page);
  await fillSecondHalf(page);
  await expect(page.locator(".question.invalid")).toHaveCount(0);
  await submitForm(page);
  await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
  await expect(await outboxCount(page)).toHaveText("0");

  const rows = await server.submissions();
  expect(rows).toHaveLength(1);
  const sub = rows[0];
  expect(sub.answers).toEqual(expected);
  // Version 2 with its list of districts (forms/lists/): their fingerprint joins the version.
  expect(sub.form).toEqual({ id: "phan-anh-du-luan", version: expect.stringMatching(/^2\+[0-9a-f]{8}$/) });
  expect(sub.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(sub.meta).toEqual({ locale: "vi", appVersion: "0.1.0" });
  expect(Date.parse(sub.completedAt)).toBeGreaterThanOrEqual(Date.parse(sub.startedAt));
});

test("(b) submitted offline, reloaded offline, delivered once when back online", async ({ page, context }) => {
  await page.goto(server.url + formPath);
  await expect(page.getByLabel("Họ và tên cộng tác viên")).toBeVisible();
  await serviceWorkerReady(page);

  // The network goes away: the browser is offline and the server is down.
  await context.setOffline(true);
  await server.stop();
  await expect(page.getByTestId("connection")).toHaveText("Mất mạng");

  await fillFirstHalf(page);
  await fillSecondHalf(page);
  await submitForm(page);
  await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
  await expect(await outboxCount(page)).toHaveText("1");

  // A reload with no network: the service worker opens the app and the form.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Phiếu phản ánh dư luận xã hội" })).toBeVisible();
  await expect(await outboxCount(page)).toHaveText("1");
  await expect(page.getByTestId("connection")).toHaveText("Mất mạng");
  // The home screen opens offline too, still showing the queued report.
  await page.goto(server.url + "/");
  await expect(page.getByRole("link", { name: /Phiếu phản ánh dư luận xã hội/ })).toBeVisible();
  await expect(await outboxCount(page)).toHaveText("1");

  // The network comes back: the entry goes, once.
  await server.launch();
  await context.setOffline(false);
  await expect(await outboxCount(page)).toHaveText("0", { timeout: 15_000 });
  const rows = await server.submissions();
  expect(rows).toHaveLength(1);
  expect(rows[0].answers).toEqual(expected);
});

test("(c) a page closed halfway keeps its answers, and reopens on its page", async ({ context }) => {
  let page = await context.newPage();
  await page.goto(server.url + formPath);
  await fillFirstHalf(page);
  await next(page, "Nội dung dư luận");
  await page.getByRole("radio", { name: "Môi trường" }).check();
  await page.getByRole("checkbox", { name: "Zalo" }).check();
  await page.close();

  page = await context.newPage();
  await page.goto(server.url + formPath);
  await expect(page.getByText("Đã khôi phục câu trả lời đang điền dở.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Nội dung dư luận" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "Môi trường" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Zalo" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Facebook" })).not.toBeChecked();
  await page.locator('[data-nav="prev"]').click();
  await expect(page.getByLabel("Họ và tên cộng tác viên")).toHaveValue(expected.collaborator);
  await expect(page.getByLabel("Số điện thoại")).toHaveValue(expected.phone);
  await expect(page.getByRole("combobox", { name: "Quận, huyện, thị xã" })).toHaveValue("Quận Hà Đông");
  await expect(page.getByLabel("Ngày ghi nhận")).toHaveValue(expected.reportDate);

  // Finishing the restored draft submits everything, and the draft is gone.
  await next(page, "Nội dung dư luận");
  await page.getByRole("checkbox", { name: "Facebook" }).check();
  await page.getByLabel("Ý kiến của người dân").fill(expected.opinion);
  await page.getByRole("radio", { name: "Trong một khu dân cư" }).check();
  await page.getByRole("radio", { name: "Có", exact: true }).check();
  await page.getByLabel("Đề xuất, kiến nghị").fill(expected.proposal);
  await submitForm(page);
  await expect(await outboxCount(page)).toHaveText("0");
  expect((await server.submissions()).map((s) => s.answers)).toEqual([expected]);
  await page.goto(server.url + formPath);
  await expect(page.getByLabel("Họ và tên cộng tác viên")).toHaveValue("");
});
