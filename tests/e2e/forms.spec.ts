// Every example form, the way a collaborator fills it on a phone (360×740,
// touch): every answer given, the logic checked as it shows and hides
// questions, wrong answers refused, the language switched halfway, the
// review read, and the JSON that reaches `phieu serve` compared exactly.
import { test, expect, Page } from "@playwright/test";
import { ageToday, expectAccessible, keepScreenshot, next, pick, submitForm } from "./fill";
import path from "node:path";
import { PhieuServer } from "./server";

let server: PhieuServer;
test.beforeEach(async () => {
  // The server checks each report against the same forms, as a real office's
  // would: the phone's JSON must pass its validation and its refusal of
  // unknown names and choices not offered.
  server = await PhieuServer.start(["--forms", path.resolve(__dirname, "../../forms")]);
});
test.afterEach(async () => {
  await server.stop();
});

const open = (page: Page, file: string) => page.goto(`${server.url}/?form=${encodeURIComponent(`forms/${file}.json`)}&draft=new`);
const question = (page: Page, name: string) => page.locator(`[data-question="${name}"]`);

/** The report's first page: who reports, where and when. */
async function fillReporter(page: Page, name: string) {
  await page.getByLabel("Họ và tên cộng tác viên").fill(name);
  await page.getByLabel("Số điện thoại").fill("0912345678");
  await pick(page, "Quận, huyện, thị xã", "ha dong", "Quận Hà Đông");
  await page.getByLabel("Ngày ghi nhận").fill("2026-11-20");
}
const switchTo = (page: Page, lang: "English" | "Tiếng Việt") => page.getByRole("button", { name: lang, exact: true }).click();

async function received(): Promise<Record<string, unknown>> {
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  return (await server.submissions())[0].answers;
}

test("public-opinion report: follow-ups only when residents are against, a proposal when urgent", async ({ page }) => {
  await open(page, "phan-anh-du-luan");
  await expect(page.getByText("Trang 1/2")).toBeVisible();
  await keepScreenshot(page, "phan-anh-du-luan");
  await expectAccessible(page, "report, page 1");

  // Nothing answered: Next is refused, each required question says why, focus goes to the first.
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".question.invalid")).toHaveCount(3);
  await expect(page.getByLabel("Họ và tên cộng tác viên")).toBeFocused();
  await expect(question(page, "collaborator").locator(".error")).toHaveText("Vui lòng trả lời câu hỏi này.");
  await expectAccessible(page, "report, page 1 with errors");

  await fillReporter(page, "Nguyễn Thị Lan");
  // The language changes halfway; the answers stay.
  await switchTo(page, "English");
  await expect(page.getByLabel("Collaborator's full name")).toHaveValue("Nguyễn Thị Lan");
  await expect(page.getByRole("combobox", { name: "District" })).toHaveValue("Ha Dong District");
  await next(page, "What people are saying");
  await page.locator('[data-nav="next"]').click();
  await expect(question(page, "topic").locator(".error")).toHaveText("Please answer this question.");
  await switchTo(page, "Tiếng Việt");
  await expect(question(page, "topic").locator(".error")).toHaveText("Vui lòng trả lời câu hỏi này.");

  await page.getByRole("radio", { name: "Môi trường" }).check();
  await page.getByRole("checkbox", { name: "Zalo" }).check();
  await page.getByRole("checkbox", { name: "Facebook" }).check();
  await page.getByLabel("Ý kiến của người dân").fill("Rác ùn ứ ở chợ sau mưa.");

  // Follow-ups appear only when residents are against, and go again when they are not.
  const reasons = question(page, "negativeReasons");
  await expect(reasons).toBeHidden();
  await page.getByRole("radio", { name: "Phản đối, bức xúc" }).check();
  await expect(reasons).toBeVisible();
  await page.getByRole("radio", { name: "Ủng hộ, đồng tình" }).check();
  await expect(reasons).toBeHidden();
  await page.getByRole("radio", { name: "Phản đối, bức xúc" }).check();
  await reasons.getByRole("checkbox", { name: "Việc giải quyết chậm, kéo dài" }).check();
  await reasons.getByRole("checkbox", { name: "Lý do khác (ghi rõ)" }).check();

  // A risk needs its description; "Other" needs its text; high urgency needs a proposal.
  await expect(question(page, "escalationDetail")).toBeHidden();
  await page.getByRole("radio", { name: "Có nguy cơ", exact: true }).check();
  await expect(question(page, "escalationDetail")).toBeVisible();
  await page.getByRole("radio", { name: "Trong một khu dân cư" }).check();
  await page.getByRole("radio", { name: "Có", exact: true }).check();
  await expect(question(page, "proposal").locator(".req")).toBeHidden();
  await page.getByRole("radio", { name: "Cao", exact: true }).check();
  await expect(question(page, "proposal").locator(".req")).toHaveCount(1);
  await page.locator('[data-nav="next"]').click();
  await expect(question(page, "negativeReasons").locator(".error")).toHaveText("Vui lòng ghi rõ lựa chọn khác.");
  await expect(question(page, "escalationDetail").locator(".error")).toHaveText("Vui lòng mô tả nguy cơ.");
  await expect(question(page, "proposal").locator(".error")).toHaveText("Vụ việc cấp bách cao cần ghi rõ đề xuất.");
  await expect(page.getByLabel("Ghi rõ lựa chọn khác")).toBeFocused();
  await page.getByLabel("Ghi rõ lựa chọn khác").fill("Chưa ai trả lời đơn");
  await page.getByLabel("Mô tả nguy cơ").fill("Người dân định kéo lên phường.");
  await page.getByLabel("Đề xuất, kiến nghị").fill("Tăng chuyến thu gom rác buổi tối.");
  await expectAccessible(page, "report, page 2");

  // The review reads as a person writes: labels, not codes; dates as in Vietnam.
  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review.getByRole("heading", { name: "Xem lại trước khi gửi" })).toBeVisible();
  await expect(review).toContainText("Quận Hà Đông");
  await expect(review).toContainText("20/11/2026");
  await expect(review).toContainText("Lý do khác (ghi rõ): Chưa ai trả lời đơn");
  await expectAccessible(page, "report, review");
  // "Change" goes back to the question.
  await review.locator("dt", { hasText: "Số điện thoại" }).locator("+ dd").getByRole("button", { name: "Sửa" }).click();
  await expect(page.getByLabel("Số điện thoại")).toBeFocused();
  await page.getByLabel("Số điện thoại").fill("0987654321");
  await submitForm(page);
  await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();

  expect(await received()).toEqual({
    collaborator: "Nguyễn Thị Lan",
    phone: "0987654321",
    district: "ha-dong",
    reportDate: "2026-11-20",
    topic: "moi-truong",
    channels: ["zalo", "facebook"],
    opinion: "Rác ùn ứ ở chợ sau mưa.",
    sentiment: "tieu-cuc",
    negativeReasons: ["cham-giai-quyet", "other"],
    "negativeReasons-Comment": "Chưa ai trả lời đơn",
    escalationRisk: true,
    escalationDetail: "Người dân định kéo lên phường.",
    spread: "khu-dan-cu",
    urgent: true,
    urgency: "cao",
    proposal: "Tăng chuyến thu gom rác buổi tối.",
  });
});

test("household survey: a repeat per member, age from the birth date, more questions from 60", async ({ page }) => {
  await open(page, "ho-gia-dinh");
  await keepScreenshot(page, "ho-gia-dinh");
  await expectAccessible(page, "household, page 1");
  await pick(page, "Quận, huyện, thị xã", "dong da", "Quận Đống Đa");
  await page.getByLabel("Phường, xã, thị trấn").fill("Văn Chương");
  await page.getByLabel("Số nhà, ngõ, đường phố").fill("Số 12, ngõ 34 Văn Chương");
  await page.getByLabel("Điện thoại liên hệ của hộ").fill("12345");
  await page.getByLabel("Ngày khảo sát").fill("2026-11-20");
  await page.locator('[data-nav="next"]').click();
  await expect(question(page, "household_phone").locator(".error")).toHaveText("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.");
  await page.getByLabel("Điện thoại liên hệ của hộ").fill("0243851234");
  await next(page, "Thành viên trong hộ");

  // One member to start with; a second is added, a third added and removed.
  const first = page.getByRole("group", { name: "Thành viên 1", exact: true });
  await expect(first).toBeVisible();
  await first.getByLabel("Họ và tên").fill("Nguyễn Văn An");
  await first.getByLabel("Ngày sinh").fill("1950-03-15");
  await expect(first.locator("output")).toHaveText(String(ageToday("1950-03-15")));
  await first.getByRole("radio", { name: "Nam", exact: true }).check();
  await first.getByLabel("Quan hệ với chủ hộ").selectOption({ label: "Con" });
  // From 60, three more questions for this member.
  await expect(first.getByRole("group", { name: /Đang hưởng lương hưu/ })).toBeVisible();
  await first.getByRole("group", { name: /Đang hưởng lương hưu/ }).getByRole("radio", { name: "Có", exact: true }).check();
  await first.getByRole("group", { name: /bảo hiểm y tế/ }).getByRole("radio", { name: "Có", exact: true }).check();
  await first.getByRole("group", { name: /Cần người chăm sóc/ }).getByRole("radio", { name: "Không", exact: true }).check();

  await page.getByRole("button", { name: "Thêm thành viên" }).click();
  const second = page.getByRole("group", { name: "Thành viên 2", exact: true });
  // The cursor is already in the new member's first field.
  await expect(second.getByLabel("Họ và tên")).toBeFocused();
  await second.getByLabel("Họ và tên").fill("Nguyễn Thị Bình");
  // A slip of the year first: the questions from 60 appear, are answered,
  // then go with the correction, and their answers are not sent.
  await second.getByLabel("Ngày sinh").fill("1950-05-01");
  await second.getByRole("group", { name: /Đang hưởng lương hưu/ }).getByRole("radio", { name: "Có", exact: true }).check();
  await second.getByLabel("Ngày sinh").fill("1990-05-01");
  await second.getByRole("radio", { name: "Nữ", exact: true }).check();
  await second.getByLabel("Quan hệ với chủ hộ").selectOption({ label: "Con" });
  await expect(second.getByRole("group", { name: /Đang hưởng lương hưu/ })).toBeHidden();
  await page.getByRole("button", { name: "Thêm thành viên" }).click();
  const third = page.getByRole("group", { name: "Thành viên 3", exact: true });
  await third.getByLabel("Họ và tên").fill("Tạm");
  await third.getByRole("button", { name: "Xóa thành viên này" }).click();
  await expect(third).toHaveCount(0);
  await expect(page.getByLabel("Số nhân khẩu")).toHaveText("2");

  // A household needs exactly one head.
  await page.locator('[data-nav="next"]').click();
  await expect(question(page, "members").locator(".error").last()).toHaveText("Hộ phải có đúng một chủ hộ.");
  await first.getByLabel("Quan hệ với chủ hộ").selectOption({ label: "Chủ hộ" });
  await expectAccessible(page, "household, members");
  await switchTo(page, "English");
  await expect(page.getByRole("group", { name: "Member 2", exact: true }).getByLabel("Full name")).toHaveValue("Nguyễn Thị Bình");
  await switchTo(page, "Tiếng Việt");
  await next(page, "Đời sống và dịch vụ");

  await page.getByRole("radio", { name: "Không thuộc diện nghèo, cận nghèo" }).check();
  await page.getByLabel("Thu nhập của cả hộ mỗi tháng").selectOption({ label: "Từ 5 đến dưới 10 triệu đồng" });
  const water = question(page, "water_source");
  await water.getByRole("checkbox", { name: "Giếng khoan" }).check();
  await expect(question(page, "water_filtered")).toBeVisible();
  // "None" takes the others away, and what depended on them goes too.
  await water.getByRole("checkbox", { name: "Không có nguồn nào ở trên" }).check();
  await expect(water.getByRole("checkbox", { name: "Giếng khoan" })).not.toBeChecked();
  await expect(question(page, "water_filtered")).toBeHidden();
  await water.getByRole("checkbox", { name: "Nước máy" }).check();
  await expect(water.getByRole("checkbox", { name: "Không có nguồn nào ở trên" })).not.toBeChecked();
  await water.getByRole("checkbox", { name: "Giếng khoan" }).check();
  await question(page, "water_filtered").getByRole("radio", { name: "Có", exact: true }).check();
  // One member is 60 or more, so the household is asked what they need.
  await question(page, "elderly_support").getByRole("checkbox", { name: "Khám sức khỏe định kỳ" }).check();
  await expect(question(page, "service_problems")).toBeHidden();
  await question(page, "service_satisfaction").getByRole("radio", { name: "2", exact: true }).check();
  await page.getByLabel("Hộ chưa hài lòng ở điểm nào?").fill("Thu gom rác không đúng giờ.");
  await expectAccessible(page, "household, page 3");

  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("Nguyễn Thị Bình");
  await expect(page.locator(".review")).toContainText("01/05/1990");
  await keepScreenshot(page, "ho-gia-dinh-review");
  await submitForm(page);

  expect(await received()).toEqual({
    district: "dong-da",
    ward: "Văn Chương",
    address: "Số 12, ngõ 34 Văn Chương",
    household_phone: "0243851234",
    survey_date: "2026-11-20",
    members: [
      {
        full_name: "Nguyễn Văn An",
        birth_date: "1950-03-15",
        age: ageToday("1950-03-15"),
        sex: "nam",
        relation: "chu-ho",
        pension: true,
        health_insurance: true,
        needs_care: false,
      },
      { full_name: "Nguyễn Thị Bình", birth_date: "1990-05-01", age: ageToday("1990-05-01"), sex: "nu", relation: "con" },
    ],
    member_count: 2,
    household_status: "khong",
    income_range: "5-10",
    water_source: ["nuoc-may", "gieng-khoan"],
    water_filtered: true,
    elderly_support: ["kham-suc-khoe"],
    service_satisfaction: 2,
    service_problems: "Thu gom rác không đúng giờ.",
    elderly_count: 1,
  });
});

test("training feedback: a Likert matrix, a rating, and contact details", async ({ page }) => {
  await open(page, "danh-gia-tap-huan");
  await keepScreenshot(page, "danh-gia-tap-huan");
  await expectAccessible(page, "training, page 1");
  await page.getByLabel("Anh/chị tham dự lớp nào?").selectOption({ label: "Lớp khác" });
  await page.getByLabel("Ngày tập huấn").fill("2026-11-18");
  await page.getByLabel("Địa điểm").fill("Nhà văn hóa phường");
  await page.locator('[data-nav="next"]').click();
  await expect(question(page, "session_other").locator(".error")).toHaveText("Vui lòng ghi tên lớp tập huấn.");
  await expect(page.getByLabel("Tên lớp tập huấn")).toBeFocused();
  await page.getByLabel("Tên lớp tập huấn").fill("Tập huấn sơ cứu");
  await next(page, "Đánh giá");

  // The form's note is Markdown shown as text: bold stays bold, no HTML.
  await expect(page.locator(".html strong")).toHaveText("một mức");
  const row = (name: string) => question(page, "agreement").getByRole("group", { name, exact: true });
  await row("Nội dung hữu ích cho công việc").getByRole("radio", { name: "Rất đồng ý", exact: true }).check();
  await row("Giảng viên trình bày dễ hiểu").getByRole("radio", { name: "Đồng ý", exact: true }).check();
  // Halfway, in English: the rows and columns follow, the answers stay.
  await switchTo(page, "English");
  await expect(question(page, "agreement").getByRole("group", { name: "The content is useful for my work" })).toHaveCount(1);
  await switchTo(page, "Tiếng Việt");
  await expect(row("Nội dung hữu ích cho công việc").getByRole("radio", { name: "Rất đồng ý", exact: true })).toBeChecked();
  await row("Tài liệu đầy đủ, dễ dùng").getByRole("radio", { name: "Phân vân", exact: true }).check();
  await row("Thời lượng hợp lý").getByRole("radio", { name: "Không đồng ý", exact: true }).check();
  await expect(question(page, "improve")).toBeHidden();
  await question(page, "overall").getByRole("radio", { name: "3", exact: true }).check();
  await expect(question(page, "improve")).toBeVisible();
  await page.getByLabel("Lớp tập huấn cần cải thiện điều gì?").fill("Thêm thời gian thực hành.");
  await question(page, "would_recommend").getByRole("radio", { name: "Có", exact: true }).check();
  await expectAccessible(page, "training, page 2");
  await next(page, "Góp ý và liên hệ");

  await page.getByLabel("Ý kiến khác").fill("Cảm ơn ban tổ chức.");
  const contact = question(page, "contact");
  await contact.getByLabel("Họ và tên").fill("Trần Văn Cường");
  await contact.getByLabel("Thư điện tử").fill("cuong@example.vn");
  await contact.getByLabel("Điện thoại").fill("0987654321");
  await expectAccessible(page, "training, page 3");
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("Nội dung hữu ích cho công việc: Rất đồng ý");
  // The review is the printed copy: no buttons, no status bar on paper.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".review")).toBeVisible();
  await expect(page.locator(".pager")).toBeHidden();
  await expect(page.locator("header.status")).toBeHidden();
  await page.emulateMedia({ media: "screen" });
  await submitForm(page);
  // completedHtml, with the answer piped in as its label.
  await expect(page.getByRole("heading", { name: "Cảm ơn anh/chị!" })).toBeVisible();
  await expect(page.locator(".done strong")).toHaveText("Lớp khác");

  expect(await received()).toEqual({
    session: "khac",
    session_other: "Tập huấn sơ cứu",
    training_date: "2026-11-18",
    venue: "Nhà văn hóa phường",
    agreement: { content_useful: 5, trainer_clear: 4, materials_good: 3, time_adequate: 2 },
    overall: 3,
    improve: "Thêm thời gian thực hành.",
    would_recommend: true,
    comments: "Cảm ơn ban tổ chức.",
    contact: { name: "Trần Văn Cường", email: "cuong@example.vn", phone: "0987654321" },
  });
});

test.describe("on a phone set to English", () => {
  test.use({ locale: "en-US" });

  test("the form's own language comes first; the person's choice is remembered", async ({ page }) => {
    await open(page, "danh-gia-tap-huan");
    // The form says "locale": "vi", and nobody has picked a language yet.
    await expect(page.getByRole("heading", { level: 1, name: "Phiếu đánh giá lớp tập huấn" })).toBeVisible();
    await switchTo(page, "English");
    await open(page, "phan-anh-du-luan");
    await expect(page.getByLabel("Collaborator's full name")).toBeVisible();
  });
});

test("a keystroke redraws only what depends on it", async ({ page }) => {
  await open(page, "phan-anh-du-luan");
  await fillReporter(page, "Lan");
  await next(page, "Nội dung dư luận");
  // Every change to the page's DOM, by the question it happened in.
  const changedQuestions = async (act: () => Promise<void>) => {
    await page.evaluate(() => {
      const w = window as any;
      w.touched = new Set();
      w.observer?.disconnect();
      w.observer = new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target instanceof Element ? r.target : r.target.parentElement;
          w.touched.add(el?.closest("[data-question]")?.getAttribute("data-question") ?? "(outside)");
        }
      });
      w.observer.observe(document.querySelector("form")!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await act();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return page.evaluate(() => [...(window as any).touched].sort());
  };
  expect(await changedQuestions(() => page.getByLabel("Ý kiến của người dân").pressSequentially("abc"))).toEqual([]);
  expect(await changedQuestions(() => page.getByRole("radio", { name: "Phản đối, bức xúc" }).check())).toEqual([
    "escalationRisk",
    "negativeReasons",
  ]);
  expect(await changedQuestions(() => page.getByRole("radio", { name: "Cao", exact: true }).check())).toEqual(["proposal"]);
});

test("keyboard only: type, search a list, move on; focus is always visible", async ({ page }) => {
  await open(page, "phan-anh-du-luan");
  await page.getByLabel("Họ và tên cộng tác viên").focus();
  await page.keyboard.type("Nguyễn Thị Lan");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Số điện thoại")).toBeFocused();
  await page.keyboard.type("0912345678");
  await page.keyboard.press("Tab");
  const district = page.getByRole("combobox", { name: "Quận, huyện, thị xã" });
  await expect(district).toBeFocused();
  expect(await district.evaluate((e) => getComputedStyle(e).outlineStyle)).toBe("solid");
  await page.keyboard.type("dong");
  await page.keyboard.press("ArrowDown");
  await expect(district).toHaveAttribute("aria-activedescendant", /opt/);
  await expect(page.getByRole("option", { name: "Quận Hà Đông" })).toHaveClass(/active/);
  await page.keyboard.press("Enter");
  await expect(district).toHaveValue("Quận Hà Đông");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Ngày ghi nhận")).toBeFocused();
  // This Chromium lays date fields out as mm/dd/yyyy whatever the page's language.
  await page.keyboard.type("11202026");
  await expect(page.getByLabel("Ngày ghi nhận")).toHaveValue("2026-11-20");
  // Chromium's date field has stops of its own (its segments, its calendar button).
  for (let i = 0; i < 4 && (await page.getByLabel("Ngày ghi nhận").evaluate((e) => e === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(page.locator('[data-nav="next"]')).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "Nội dung dư luận" })).toBeVisible();
  // A radio group is one Tab stop; arrows choose, as everywhere else.
  await page.getByRole("radio", { name: "Đất đai, xây dựng" }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: "Đất đai, xây dựng" })).not.toBeChecked();
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);
});

test("dark mode follows the system and stays readable", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await open(page, "danh-gia-tap-huan");
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(15, 20, 25)");
  await keepScreenshot(page, "danh-gia-tap-huan-dark");
  await expectAccessible(page, "training, dark mode");
  await page.locator('[data-nav="next"]').click();
  await expectAccessible(page, "training, dark mode, with errors");
});
