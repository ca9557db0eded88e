// A paneldynamic inside a paneldynamic, and a panel inside a repeat, at
// 360×740: households, each with its members. Two households filled, a
// member removed, a required answer in an inner repeat checked, a hidden
// inner answer left out at completion, the review of both levels, and
// SurveyJS's nested shape on the server: {"households": [{"members": [{…}]}]}.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Hộ gia đình",
  locale: "vi",
  elements: [
    {
      type: "paneldynamic", name: "households", title: "Các hộ", templateTitle: "Hộ {panelIndex}", panelCount: 1,
      panelAddText: "Thêm hộ", panelRemoveText: "Xoá hộ",
      templateElements: [
        { type: "text", name: "head", title: "Chủ hộ", isRequired: true },
        { type: "boolean", name: "rented", title: "Thuê nhà" },
        { type: "panel", name: "lease", visibleIf: "{panel.rented} = true", elements: [{ type: "text", name: "landlord", title: "Chủ nhà" }] },
        {
          type: "paneldynamic", name: "members", title: "Thành viên của {panel.head}", templateTitle: "Người {panelIndex}", panelCount: 1,
          panelAddText: "Thêm người", panelRemoveText: "Xoá người",
          templateElements: [
            { type: "text", name: "name", title: "Họ tên", isRequired: true },
            { type: "text", name: "share", title: "Phần tiền thuê", visibleIf: "{parentPanel.rented} = true" },
          ],
        },
      ],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/nested.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const group = (at, name: string) => at.getByRole("group", { name, exact: true });

test("two households with their members: add and remove at both levels, checks, review and SurveyJS's nested answers", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/nested.json")}&draft=new`);
  const first = group(page, "Hộ 1");
  // panelCount 1 at both levels: a household with one member to start with.
  await first.getByLabel("Chủ hộ").fill("Lan");
  await expect(first.getByRole("heading", { name: "Thành viên của Lan" })).toBeVisible();
  await expect(first.getByLabel("Chủ nhà")).toBeHidden();
  await first.getByRole("radio", { name: "Có" }).check();
  // The panel inside the repeat follows {panel.rented}.
  await first.getByLabel("Chủ nhà").fill("Bình");
  await group(first, "Người 1").getByLabel("Họ tên").fill("Lan");
  // {parentPanel.rented}: the member is asked their share of the rent.
  await group(first, "Người 1").getByLabel("Phần tiền thuê").fill("1/2");
  await first.getByRole("button", { name: "Thêm người" }).click();
  await expect(group(first, "Người 2").getByLabel("Họ tên")).toBeFocused();
  await group(first, "Người 2").getByLabel("Họ tên").fill("Minh");
  await group(first, "Người 2").getByLabel("Phần tiền thuê").fill("1/2");

  await page.getByRole("button", { name: "Thêm hộ" }).click();
  const second = group(page, "Hộ 2");
  await second.getByLabel("Chủ hộ").fill("Hoa");
  await second.getByRole("radio", { name: "Có" }).check();
  await group(second, "Người 1").getByLabel("Họ tên").fill("Tú");
  await group(second, "Người 1").getByLabel("Phần tiền thuê").fill("1/3");
  // Corrected: not rented. The share is hidden, and left out when sent.
  await second.getByRole("radio", { name: "Không" }).check();
  await expect(group(second, "Người 1").getByLabel("Phần tiền thuê")).toBeHidden();
  await expect(group(first, "Người 1").getByLabel("Phần tiền thuê")).toBeVisible();
  const addMember = second.getByRole("button", { name: "Thêm người" });
  await addMember.click();
  await group(second, "Người 2").getByLabel("Họ tên").fill("Vy");
  await addMember.click();
  // The third member's name is required: checked on Next, named inside both repeats.
  await page.locator('[data-nav="next"]').click();
  await expect(group(second, "Người 3").locator(".invalid .error")).toHaveText("Vui lòng trả lời câu hỏi này.");
  await group(second, "Người 3").getByLabel("Họ tên").fill("Xuân");
  await expectAccessible(page, "repeats inside repeats");
  await group(second, "Người 2").getByRole("button", { name: "Xoá người" }).click();
  await expect(group(second, "Người 3")).toHaveCount(0);
  await expect(group(second, "Người 2").getByLabel("Họ tên")).toHaveValue("Xuân");
  // The other household is untouched.
  await expect(group(first, "Người 2").getByLabel("Họ tên")).toHaveValue("Minh");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  const reviewed = (name: string) => review.locator(".repeat").filter({ has: page.getByRole("heading", { name, exact: true }) });
  await expect(reviewed("Hộ 1").first()).toContainText("Chủ nhà");
  await expect(reviewed("Hộ 1").first()).toContainText("Bình");
  await expect(reviewed("Hộ 2").first()).toContainText("Xuân");
  await expect(reviewed("Hộ 2").first()).not.toContainText("Vy");
  await expect(reviewed("Hộ 2").first()).not.toContainText("1/3");
  await expect(review.locator(".repeat .repeat")).toHaveCount(4);
  await expectAccessible(page, "the review of repeats inside repeats");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    households: [
      { head: "Lan", rented: true, landlord: "Bình", members: [{ name: "Lan", share: "1/2" }, { name: "Minh", share: "1/2" }] },
      { head: "Hoa", rented: false, members: [{ name: "Tú" }, { name: "Xuân" }] },
    ],
  });
});

// Options that follow answers inside a repeat: hidden, a ticked one leaves
// that repeat's answer, and comes back ticked when offered again (survey-core's
// behaviour in each panel); typing in one repeat leaves the other alone.
const supportForm = JSON.stringify({
  title: "Hỗ trợ",
  locale: "vi",
  elements: [
    { type: "radiogroup", name: "area", title: "Khu vực", choices: [{ value: "city", text: "Phố" }, { value: "village", text: "Làng" }] },
    {
      type: "paneldynamic", name: "members", title: "Thành viên", templateTitle: "Người {panelIndex}", panelCount: 2,
      templateElements: [
        { type: "text", name: "age", title: "Tuổi", inputType: "number" },
        {
          type: "checkbox", name: "support", title: "Hỗ trợ",
          choices: [
            { value: "pension", text: "Lương hưu", visibleIf: "{panel.age} >= 60" },
            { value: "farm", text: "Nông nghiệp", visibleIf: "{area} = 'village'" },
            { value: "school", text: "Học bổng" },
          ],
        },
      ],
    },
  ],
});

test("a ticked option hidden inside a repeat leaves its answer there, and comes back with it", async ({ page }) => {
  await host.stop();
  host = new FormHost({ "/support.json": supportForm });
  await host.start();
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/support.json")}&draft=new`);
  const [one, two] = [group(page, "Người 1"), group(page, "Người 2")];
  await page.getByRole("radio", { name: "Làng" }).check();
  await one.getByLabel("Tuổi").fill("70");
  await one.getByRole("checkbox", { name: "Lương hưu" }).check();
  await one.getByRole("checkbox", { name: "Nông nghiệp" }).check();
  await two.getByLabel("Tuổi").fill("10");
  await expect(two.getByRole("checkbox", { name: "Lương hưu" })).toBeHidden();
  await two.getByRole("checkbox", { name: "Học bổng" }).check();
  await two.getByRole("checkbox", { name: "Nông nghiệp" }).check();
  // An answer outside the repeats hides an option in both.
  await page.getByRole("radio", { name: "Phố" }).check();
  await expect(one.getByRole("checkbox", { name: "Nông nghiệp" })).toBeHidden();
  await expect(two.getByRole("checkbox", { name: "Nông nghiệp" })).toBeHidden();
  // One in the repeat hides an option there alone.
  await one.getByLabel("Tuổi").fill("50");
  await expect(one.getByRole("checkbox", { name: "Lương hưu" })).toBeHidden();
  await expect(two.getByRole("checkbox", { name: "Học bổng" })).toBeChecked();
  // Offered again: ticked again, as the person left it.
  await page.getByRole("radio", { name: "Làng" }).check();
  await expect(one.getByRole("checkbox", { name: "Nông nghiệp" })).toBeChecked();
  await expect(two.getByRole("checkbox", { name: "Nông nghiệp" })).toBeChecked();
  await expectAccessible(page, "options that follow answers in a repeat");
  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("Nông nghiệp");
  await expect(review).not.toContainText("Lương hưu");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    area: "village",
    members: [{ age: 50, support: ["farm"] }, { age: 10, support: ["school", "farm"] }],
  });
});

// choicesFromQuestion inside a repeat: "panel.symptoms" is the same repeat's
// question, as survey-core finds it, so each visit offers its own symptoms.
const visitsForm = JSON.stringify({
  title: "Khám",
  locale: "vi",
  elements: [
    {
      type: "paneldynamic", name: "visits", title: "Các lần khám", templateTitle: "Lần {panelIndex}", panelCount: 2,
      templateElements: [
        { type: "checkbox", name: "symptoms", title: "Triệu chứng", choices: [{ value: "fever", text: "Sốt" }, { value: "cough", text: "Ho" }, { value: "rash", text: "Phát ban" }] },
        { type: "radiogroup", name: "main", title: "Triệu chứng chính", choicesFromQuestion: "panel.symptoms", choicesFromQuestionMode: "selected" },
        { type: "text", name: "place", title: "Nơi khám", defaultValue: "trạm" },
      ],
    },
  ],
});

test("in a repeat, options from a question of the same repeat: each repeat offers its own, and an answer no longer offered goes", async ({ page }) => {
  await host.stop();
  host = new FormHost({ "/visits.json": visitsForm });
  await host.start();
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/visits.json")}&draft=new`);
  const [one, two] = [group(page, "Lần 1"), group(page, "Lần 2")];
  await one.getByRole("checkbox", { name: "Sốt" }).check();
  await one.getByRole("checkbox", { name: "Ho" }).check();
  await expect(one.getByRole("radio", { name: "Phát ban" })).toBeHidden();
  await one.getByRole("radio", { name: "Ho" }).check();
  await two.getByRole("checkbox", { name: "Phát ban" }).check();
  await expect(two.getByRole("radio", { name: "Phát ban" })).toBeVisible();
  await expect(two.getByRole("radio", { name: "Ho" })).toBeHidden();
  // Unticked in its source: the main symptom chosen from it goes.
  await one.getByRole("checkbox", { name: "Ho" }).uncheck();
  await expect(one.getByRole("radio", { name: "Ho" })).toBeHidden();
  await expect(one.getByRole("radio", { name: "Sốt" })).not.toBeChecked();
  await one.getByRole("radio", { name: "Sốt" }).check();
  await two.getByRole("radio", { name: "Phát ban" }).check();
  // Each repeat starts with its questions' defaultValue, as SurveyJS fills a new panel.
  await expect(two.getByLabel("Nơi khám")).toHaveValue("trạm");
  await one.getByLabel("Nơi khám").fill("nhà");
  await expectAccessible(page, "options from a question of the same repeat");
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("Phát ban");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    visits: [{ symptoms: ["fever"], main: "fever", place: "nhà" }, { symptoms: ["rash"], main: "rash", place: "trạm" }],
  });
});
