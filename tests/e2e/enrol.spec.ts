// The two-way channel seen from the phone: enrolment by the office's link,
// reports that say who sent them, and the office's answers and announcements
// coming back down, readable offline.
import { test, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { submitForm } from "./fill";
import { PhieuServer } from "./server";
import { addUser, api } from "./accounts";
import { FormHost, NOTE } from "./form-host";

const binary = process.env.PHIEU_BIN || path.join(__dirname, "../../target/debug/phieu");

let server: PhieuServer;
let host: FormHost;
let requested: string[];
test.beforeEach(async ({ page }) => {
  server = await PhieuServer.start();
  host = new FormHost({ "/note.json": JSON.stringify(NOTE) });
  await host.start();
  requested = [];
  page.on("request", (r) => requested.push(r.url()));
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

async function enrol(page: Page, who: Account) {
  await page.goto(who.link);
  await expect(page.getByTestId("enrol-name")).toHaveText("Nguyễn Văn An (ha-dong)");
  // The token left the address bar at once.
  expect(page.url()).not.toContain(who.token);
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Chọn phiếu" })).toBeVisible();
}

async function sendNote(page: Page, text: string) {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=new`);
  await page.getByLabel("Nội dung").fill(text);
  await submitForm(page);
}

test("the whole loop: enrolled by link, a report sent offline arrives signed, the office answers it on its screen, and the reply comes back", async ({ page, context, browser }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const office = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  await enrol(page, an);
  await page.goto(server.url + "/?screen=settings");
  await expect(page.getByTestId("enrolled")).toContainText("Nguyễn Văn An (ha-dong)");

  // Offline: the report waits on the phone (the form was opened online).
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/note.json")}&draft=new`);
  await page.getByLabel("Nội dung").fill("Đường Tố Hữu ngập sau mưa");
  await context.setOffline(true);
  await server.stop();
  await submitForm(page);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("1");
  await server.launch();
  await context.setOffline(false);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("0", { timeout: 15_000 });

  // The office reads who sent it, from the token, and answers.
  const list = await api(server, office.token, "GET", "/api/submissions");
  expect(list.status).toBe(200);
  const row = list.body.submissions[0];
  expect(row.submittedBy).toMatchObject({ id: an.id, name: "Nguyễn Văn An", unit: "ha-dong" });
  const id = row.submission.id;
  // In the office screen, in its own browser: opened by its one-time link,
  // the report read in words and answered.
  const desk = await (await browser.newContext()).newPage();
  await desk.goto(office.link);
  await expect(desk.getByRole("heading", { level: 1, name: "Phản ánh đã nhận" })).toBeVisible();
  const rows = desk.locator(".reports li");
  await expect(rows.first()).toContainText("Nguyễn Văn An · ha-dong");
  await rows.first().getByRole("button").click();
  expect(desk.url()).toContain(`/office/?report=${id}`);
  await expect(desk.locator(".answers")).toContainText("Đường Tố Hữu ngập sau mưa");
  await desk.getByRole("radio", { name: "đã trả lời" }).check();
  await desk.getByLabel("Trả lời người gửi (không bắt buộc)").fill("Phường đã cử người xử lý.");
  await desk.getByRole("button", { name: "Lưu" }).click();
  await expect(desk.locator(".status-now")).toHaveText("đã trả lời");
  await desk.context().close();
  expect((await api(server, office.token, "POST", "/api/announcements", { kind: "topic", title: "Giá điện tháng 12", body: "Ghi lại ý kiến của bà con.", unit: null })).status).toBeLessThan(300);

  // The phone's next sync (on start) brings both; they read offline too.
  await page.goto(server.url + "/");
  await expect(page.getByTestId("new-replies")).toContainText("1 phản hồi mới");
  await expect(page.getByTestId("announcements")).toContainText("Giá điện tháng 12");
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("announcements")).toContainText("Ghi lại ý kiến của bà con.");
  await page.getByTestId("new-replies").getByRole("link").click();
  await expect(page.getByTestId("reply")).toContainText("đã trả lời");
  await expect(page.getByTestId("reply")).toContainText("Phường đã cử người xử lý.");
  await context.setOffline(false);
  await page.goto(server.url + "/");
  await expect(page.getByTestId("new-replies")).toBeHidden();

  // The token was never in a URL the phone asked for.
  expect(requested.filter((u) => u.includes(an.token))).toEqual([]);
});

test("a revoked phone is told, keeps its report and can export it; leaving keeps reports too", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  await enrol(page, an);
  execFileSync(binary, ["users", "revoke", "--db", server.db, an.id]);
  await sendNote(page, "giữ lại khi bị thu hồi");
  await expect(page.getByTestId("paused")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("1");
  await page.goto(server.url + "/?screen=outbox");
  await expect(page.locator("[data-testid=entry]")).toHaveAttribute("data-state", "waiting");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-testid=entry]").getByRole("button").filter({ hasText: "JSON" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);

  page.once("dialog", (d) => d.accept());
  await page.goto(server.url + "/?screen=settings");
  await page.getByRole("button", { name: "Rời khỏi" }).click();
  await expect(page.getByTestId("enrolled")).toBeHidden();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem("phieu/settings")!).data.token)).toBeNull();
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("1");
});
