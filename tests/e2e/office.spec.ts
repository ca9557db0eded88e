// The office screen (/office/, crate office/): signing in by the one-time
// link, the reports with their senders, one report in words (labels, not
// codes), a status and a reply that reach the collaborator's phone,
// announcements, the summary, exports, accounts with a QR code; axe-clean at
// 360 px and on a laptop; usable by keyboard alone.
import { test, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expectAccessible as axeClean, keepScreenshot } from "./fill";
import { PhieuServer } from "./server";
import { addUser, api } from "./accounts";

const binary = process.env.PHIEU_BIN || path.join(__dirname, "../../target/debug/phieu");
const LAPTOP = { width: 1280, height: 800 };

/** expectAccessible, with axe put in by the test driver: phieu serve's CSP
 * (rightly) refuses the inline script tag that expectAccessible would add. */
async function expectAccessible(page: Page, where: string) {
  if (!(await page.evaluate(() => "axe" in window))) {
    await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  }
  await axeClean(page, where);
}


/** A report of the public-opinion form, sent as a phone sends it. */
async function submit(server: PhieuServer, token: string, answers: Record<string, unknown>, form = { id: "phan-anh-du-luan", version: "2" }): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  const res = await api(server, token, "POST", "/api/submissions", {
    id,
    form,
    startedAt: now,
    completedAt: now,
    answers,
    meta: { locale: "vi", appVersion: "e2e" },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return id;
}

const FLOODING = {
  collaborator: "Nguyễn Văn An",
  district: "ba-dinh",
  reportDate: "2026-11-28",
  topic: "moi-truong",
  channels: ["zalo", "truc-tiep"],
  opinion: "Người dân phố Đội Cấn bức xúc vì đường ngập sau mưa.",
  sentiment: "tieu-cuc",
  spread: "khu-dan-cu",
  urgent: true,
};
const TRAFFIC = { ...FLOODING, district: "dong-da", topic: "giao-thong", opinion: "Xe máy đỗ kín vỉa hè.", sentiment: "trung-lap", urgent: false };

/** Opens the one-time link; the screen shows the reports. */
async function signIn(page: Page, link: string) {
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Phản ánh đã nhận" })).toBeVisible();
  // The secret left the address bar (and the history entry) at once.
  expect(page.url()).not.toContain("signin");
}

let server: PhieuServer;
// A panic in the app's wasm is logged (console.error) or thrown (pageerror); none may happen.
let problems: string[];
test.beforeEach(async ({ page }) => {
  problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  // PHIEU_E2E_DIST: a built copy of dist/ to serve, away from builds running beside the tests.
  server = await PhieuServer.start([], process.env.PHIEU_E2E_DIST);
});
test.afterEach(async () => {
  await server.stop();
  expect(problems, "errors in the page").toEqual([]);
});

test("an office signs in by its link, opens a report in words, answers it, and the reply reaches the collaborator's feed", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  const other = addUser(server, "Phạm Văn Dũng", "collaborator", "cau-giay");
  const id = await submit(server, an.token, FLOODING);
  await submit(server, other.token, TRAFFIC);

  await signIn(page, binh.link);
  await expect(page.getByText("Trần Thị Bình (văn phòng, ha-dong)")).toBeVisible();
  await expect(page).toHaveTitle("Phản ánh · Phiếu · Văn phòng");
  // The office of ha-dong sees its unit's report, with who sent it, and not the other unit's.
  const rows = page.locator(".reports li");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Nguyễn Văn An · ha-dong");
  await expect(rows.first()).toContainText("Phiếu phản ánh dư luận xã hội");
  await expect(rows.first()).toContainText("mới");
  // The gist of it, without opening it: the first long text answered.
  await expect(rows.first()).toContainText("Người dân phố Đội Cấn bức xúc vì đường ngập sau mưa.");
  await expectAccessible(page, "the office's list at 360 px");
  await keepScreenshot(page, "office-list-360");

  // Search ignores diacritics, as the phone's does; the export links carry the filter.
  await page.getByLabel("Tìm (không cần dấu)").fill("PHO DOI CAN");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("link", { name: "JSON" })).toHaveAttribute("href", /submissions\.json\?.*q=PHO\+DOI\+CAN/);
  // The spreadsheet's columns are one form's questions: offered once a form is chosen.
  await expect(page.getByRole("link", { name: "Bảng tính (CSV)" })).toHaveCount(0);
  await page.getByLabel("Mẫu phiếu").selectOption("phan-anh-du-luan");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  const csv = await page.getByRole("link", { name: "Bảng tính (CSV)" }).getAttribute("href");
  expect(csv).toMatch(/submissions\.csv\?form=phan-anh-du-luan&q=PHO\+DOI\+CAN$/);
  const exported = await page.evaluate(async (href) => (await fetch(href!)).text(), csv);
  expect(exported).toContain("Đội Cấn");
  await page.getByLabel("Tìm (không cần dấu)").fill("khong co dau ca");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(page.getByText("Không có phản ánh nào.")).toBeVisible();
  await page.getByRole("button", { name: "Bỏ lọc" }).click();
  await expect(rows).toHaveCount(1);

  // One report as the phone's review shows it: labels, not codes.
  await rows.first().getByRole("button").click();
  const heading = page.getByRole("heading", { level: 1, name: "Phiếu phản ánh dư luận xã hội" });
  await expect(heading).toBeFocused();
  const answers = page.locator(".answers");
  await expect(answers).toContainText("Quận Ba Đình");
  await expect(answers).toContainText("Môi trường");
  await expect(answers).toContainText("Zalo");
  await expect(answers).toContainText("Phản đối, bức xúc");
  await expect(answers).not.toContainText("ba-dinh");
  await expect(page.locator(".sender")).toHaveText("Nguyễn Văn An · ha-dong");
  await expectAccessible(page, "one report at 360 px");
  await keepScreenshot(page, "office-report-360");
  // The browser's Back returns to the list; the report's address opens it again.
  expect(page.url()).toContain(`/office/?report=${id}`);
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Phản ánh đã nhận" })).toBeVisible();
  await page.goForward();
  await expect(heading).toBeVisible();
  await page.reload();
  await expect(answers).toContainText("Quận Ba Đình");

  // Answered, with a reply.
  await page.getByRole("radio", { name: "đã trả lời" }).check();
  await page.getByLabel("Trả lời người gửi (không bắt buộc)").fill("Phường đã cử người khơi thông cống.");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu. Người gửi sẽ thấy trên điện thoại.")).toBeVisible();
  await expect(page.locator(".status-now")).toHaveText("đã trả lời");
  await expect(page.locator(".history")).toContainText("Phường đã cử người khơi thông cống.");
  await expect(page.locator(".history")).toContainText("Trần Thị Bình");

  // The collaborator's phone reads it from its feed.
  const feed = await api(server, an.token, "GET", "/api/feed");
  expect(feed.body.events).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: "status", submission: id, status: "answered", reply: "Phường đã cử người khơi thông cống." }),
    ]),
  );

  // In English too, and on a laptop.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(answers).toContainText("Ba Dinh District");
  await expect(page.locator(".status-now")).toHaveText("answered");
  await page.setViewportSize(LAPTOP);
  await expectAccessible(page, "one report on a laptop, in English");
  await keepScreenshot(page, "office-report-laptop-en");
  await page.getByRole("button", { name: "← Back to the list" }).click();
  await expect(rows.first()).toContainText("answered");
  await expectAccessible(page, "the list on a laptop, in English");
});

test("a report's photo shows as a thumbnail and its place links to a map; a file the office may not read is not shown to others", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  // A 1×1 PNG, sent as the phone sends files: first the bytes under their hash, then the report.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
  const sha256 = createHash("sha256").update(png).digest("hex");
  const put = await fetch(`${server.url}/api/files/${sha256}`, { method: "PUT", headers: { authorization: `Bearer ${an.token}`, "content-type": "image/png" }, body: png });
  expect(put.status).toBe(201);
  await submit(server, an.token, {
    photo: [{ name: "cong-ngap.png", type: "image/png", size: png.length, sha256 }],
    place: { latitude: 21.028511, longitude: 105.854167, accuracy: 12 },
  }, { id: "anh-hien-truong", version: "1" });

  await signIn(page, binh.link);
  await page.locator(".reports li").first().getByRole("button").click();
  const thumb = page.locator(".answers .thumb img");
  await expect(thumb).toHaveAttribute("alt", "cong-ngap.png");
  await expect(thumb).toHaveAttribute("src", `../api/files/${sha256}`);
  // Fetched with the office's session, and really an image.
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await expect(page.locator(".answers a.map")).toHaveAttribute("href", "https://www.openstreetmap.org/?mlat=21.028511&mlon=105.854167#map=17/21.028511/105.854167");
  await expectAccessible(page, "a report with a photo and a place");
  // Another unit's office may not read it.
  const other = addUser(server, "Lê Văn Cường", "office", "cau-giay");
  expect((await fetch(`${server.url}/api/files/${sha256}`, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(404);
});

test("a used sign-in link does not open a session, and says so", async ({ page }) => {
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  await signIn(page, binh.link);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đăng nhập" })).toBeVisible();
  await page.goto(binh.link);
  await expect(page.getByRole("alert")).toContainText("Đường dẫn đăng nhập này đã được dùng hoặc đã hết hạn.");
  await expect(page.getByLabel("Mật khẩu")).toBeVisible();
  expect(page.url()).not.toContain("signin");
  await expectAccessible(page, "the sign-in form");
  // A password does it too.
  execFileSync(binary, ["users", "password", "--db", server.db, binh.id], { input: "mật khẩu dài và khó đoán\n" });
  await page.getByLabel("Tên").fill("Trần Thị Bình");
  await page.getByLabel("Mật khẩu").fill("mật khẩu dài và khó đoán");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Phản ánh đã nhận" })).toBeVisible();
});

test("a session that ends (here, the account revoked) brings back the sign-in, saying why", async ({ page }) => {
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  await signIn(page, binh.link);
  execFileSync(binary, ["users", "revoke", "--db", server.db, binh.id]);
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đăng nhập" })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveText("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.");
});

test("filtered by status and days; a household report reads member by member, with labels, and what the form does not name is still shown", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  await submit(
    server,
    an.token,
    {
      district: "tay-ho",
      members: [
        { full_name: "Lê Thị Hoa", sex: "nu", relation: "chu-ho", pension: true },
        { full_name: "Lê Văn Nam", sex: "nam", relation: "con", pension: false },
      ],
      water_source: ["nuoc-may", "nuoc-mua"],
      legacyField: "một câu trả lời cũ",
    },
    { id: "ho-gia-dinh", version: "1" },
  );
  await signIn(page, binh.link);
  // By status, and by the days received (both included, in this computer's time zone).
  const rows = page.locator(".reports li");
  const filter = async (label: string, value: string, expected: number) => {
    if (label === "Trạng thái") await page.getByLabel(label).selectOption(value);
    else await page.getByLabel(label).fill(value);
    await page.getByRole("button", { name: "Lọc", exact: true }).click();
    await expect(rows).toHaveCount(expected);
  };
  const day = (offset: number) => {
    const d = new Date(Date.now() + offset * 86_400_000);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  };
  await filter("Trạng thái", "closed", 0);
  await filter("Trạng thái", "new", 1);
  await filter("Từ ngày", day(1), 0);
  await filter("Từ ngày", day(0), 1);
  await filter("Đến ngày", day(-1), 0);
  await filter("Đến ngày", day(0), 1);
  await rows.first().getByRole("button").click();
  const answers = page.locator(".answers");
  await expect(answers.getByRole("heading", { name: "Thành viên 2" })).toBeVisible();
  await expect(answers).toContainText("Lê Thị Hoa");
  await expect(answers).toContainText("Nữ");
  await expect(answers).toContainText("Chủ hộ");
  await expect(answers).toContainText("Quận Tây Hồ");
  await expect(answers).not.toContainText("chu-ho");
  await expect(answers).toContainText("legacyField");
  await expect(answers).toContainText("một câu trả lời cũ");
  await expectAccessible(page, "a report with repeats");
});

test("the list comes a page at a time, newest first", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  for (let i = 1; i <= 55; i++) await submit(server, an.token, { ...FLOODING, collaborator: `Người thứ ${i}` });
  await signIn(page, binh.link);
  const rows = page.locator(".reports li");
  await expect(rows).toHaveCount(50);
  await expect(page.getByText("50 phản ánh")).toBeVisible();
  await page.getByRole("button", { name: "Xem thêm" }).click();
  await expect(rows).toHaveCount(55);
  await expect(page.getByRole("button", { name: "Xem thêm" })).toHaveCount(0);
  // Newest first: the last one sent opens first.
  await rows.first().getByRole("button").click();
  await expect(page.locator(".answers")).toContainText("Người thứ 55");
});

test("an admin announces to a unit, sums up by district as SVG, and adds a collaborator shown as a QR code", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const admin = addUser(server, "Quản trị", "admin");
  await submit(server, an.token, FLOODING);
  await submit(server, an.token, TRAFFIC);
  await submit(server, an.token, { ...FLOODING, opinion: "Lần nữa." });
  await signIn(page, admin.link);

  // An announcement to one unit reaches that unit's collaborator.
  await page.getByRole("button", { name: "Thông báo" }).click();
  await page.getByRole("radio", { name: "Chủ đề cần theo dõi" }).check();
  await page.getByLabel("Tiêu đề").fill("Theo dõi ý kiến về ngập úng");
  await page.getByLabel("Nội dung").fill("Ghi lại ý kiến người dân sau mỗi trận mưa lớn.");
  await page.getByLabel(/Gửi đơn vị/).fill("ha-dong");
  await page.getByRole("button", { name: "Gửi", exact: true }).click();
  await expect(page.getByText("Đã gửi. Điện thoại sẽ nhận khi có mạng.")).toBeVisible();
  await expect(page.locator(".announcements")).toContainText("Theo dõi ý kiến về ngập úng");
  await expect(page.locator(".announcements")).toContainText("ha-dong");
  const feed = await api(server, an.token, "GET", "/api/feed");
  expect(feed.body.events).toEqual(
    expect.arrayContaining([expect.objectContaining({ kind: "topic", title: "Theo dõi ý kiến về ngập úng", unit: "ha-dong" })]),
  );
  await expectAccessible(page, "announcements at 360 px");

  // The summary: per day, and per district with the district's name.
  await page.getByRole("button", { name: "Tổng hợp" }).click();
  await page.getByLabel("Mẫu phiếu").selectOption("phan-anh-du-luan");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await page.getByLabel("Đếm theo câu hỏi").selectOption("district");
  await expect(page.locator("svg.chart")).toHaveCount(2);
  const perDistrict = page.locator("svg.chart").nth(1);
  await expect(perDistrict).toContainText("Quận Ba Đình");
  await expect(perDistrict).toContainText("Quận Đống Đa");
  await expect(perDistrict.locator("rect.bar")).toHaveCount(2);
  await expect(page.locator(".count").first()).toHaveText("3 phản ánh");
  await expectAccessible(page, "the summary at 360 px");
  await page.setViewportSize(LAPTOP);
  await expectAccessible(page, "the summary on a laptop");
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, "the summary on a laptop, dark");
  await page.emulateMedia({ colorScheme: "light" });
  await keepScreenshot(page, "office-summary-laptop");
  await page.setViewportSize({ width: 360, height: 740 });

  // A new collaborator's enrolment link, as a QR code drawn in the page.
  await page.getByRole("button", { name: "Tài khoản" }).click();
  await page.getByLabel("Họ và tên").fill("Lê Văn Cường");
  await page.getByLabel("Đơn vị (mã, ví dụ ha-dong)").fill("cau-giay");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  const qr = page.getByRole("img", { name: /Mã QR đường dẫn đăng ký của Lê Văn Cường/ });
  await expect(qr).toBeVisible();
  expect(await qr.locator("path").getAttribute("d")).toMatch(/^M4 4h1v1h-1z/);
  const link = await page.locator(".made .link").textContent();
  expect(link).toContain("#token=");
  await expectAccessible(page, "accounts at 360 px");
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, "accounts at 360 px, dark");
  await page.emulateMedia({ colorScheme: "light" });
  await keepScreenshot(page, "office-accounts-360");
  // Revoked, the account's token is refused from then on.
  const token = link!.split("#token=")[1];
  expect((await api(server, token, "GET", "/api/me")).status).toBe(200);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Thu hồi Lê Văn Cường" }).click();
  await expect(page.getByRole("row", { name: /Lê Văn Cường/ })).toContainText("đã thu hồi");
  expect((await api(server, token, "GET", "/api/me")).status).toBe(401);
});

test("by keyboard alone: the list, a report, and its status form", async ({ page }) => {
  const an = addUser(server, "Nguyễn Văn An", "collaborator", "ha-dong");
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  const id = await submit(server, an.token, FLOODING);
  await page.setViewportSize(LAPTOP);
  await signIn(page, binh.link);

  /** Tabs until the focused element matches, as a person would. */
  async function tabTo(match: (el: { tag: string; text: string; type: string }) => boolean, limit = 40) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      const el = await page.evaluate(() => {
        const a = document.activeElement as HTMLInputElement | null;
        return { tag: a?.tagName ?? "", text: (a?.textContent ?? "").trim(), type: a?.type ?? "" };
      });
      if (match(el)) return;
    }
    throw new Error("not reachable by Tab");
  }
  await tabTo((el) => el.tag === "BUTTON" && el.text.includes("Nguyễn Văn An"));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Phiếu phản ánh dư luận xã hội" })).toBeFocused();
  // The status radios: one Tab stop, arrows move between them.
  await tabTo((el) => el.tag === "INPUT" && el.type === "radio");
  await expect(page.getByRole("radio", { name: "mới" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: "đang xử lý" })).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Trả lời người gửi (không bắt buộc)")).toBeFocused();
  await page.keyboard.type("Đang xác minh.");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Lưu" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator(".status-now")).toHaveText("đang xử lý");
  const feed = await api(server, an.token, "GET", "/api/feed");
  expect(feed.body.events).toEqual(expect.arrayContaining([expect.objectContaining({ submission: id, status: "in_progress", reply: "Đang xác minh." })]));
});

test("the phone's offline copy never stands in for the office screen on the same site", async ({ page }) => {
  const binh = addUser(server, "Trần Thị Bình", "office", "ha-dong");
  // The phone app, opened first in this browser, installs its service worker.
  await page.goto(server.url + "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
  await signIn(page, binh.link);
});
