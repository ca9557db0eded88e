// Value rules inside a paneldynamic, at 360×740, as survey-core runs them per
// panel: a member's age set from their own year of birth ({panel.born}) in
// that repeat alone, a top-level answer (the survey's year) reaching every
// repeat, a ward that starts as the household's (defaultValueExpression) and
// follows it until the person changes it in that repeat, a new repeat
// computed from the answers now, and a removed repeat taking what it
// remembers with it. Then the review, and SurveyJS's shape on the server.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";

const form = JSON.stringify({
  title: "Hộ gia đình",
  locale: "vi",
  elements: [
    { type: "text", name: "year", title: "Năm điều tra", inputType: "number" },
    { type: "text", name: "ward_all", title: "Phường của hộ" },
    {
      type: "paneldynamic", name: "members", title: "Thành viên", templateTitle: "Người {panelIndex}", panelCount: 2,
      panelAddText: "Thêm người", panelRemoveText: "Xoá người",
      templateElements: [
        { type: "text", name: "born", title: "Năm sinh", inputType: "number" },
        { type: "text", name: "age", title: "Tuổi", inputType: "number", setValueIf: "{panel.born} notempty", setValueExpression: "{year} - {panel.born}" },
        { type: "text", name: "ward", title: "Phường", defaultValueExpression: "{ward_all}" },
      ],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/rules.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const group = (at, name: string) => at.getByRole("group", { name, exact: true });

test("value rules in each repeat on its own, a top-level answer in all of them, a new and a removed repeat", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/rules.json")}&draft=new`);
  const [one, two] = [group(page, "Người 1"), group(page, "Người 2")];
  await page.getByLabel("Năm điều tra").fill("2026");
  await page.getByLabel("Phường của hộ").fill("Văn Quán");
  // The household's ward fills each repeat's.
  await expect(one.getByLabel("Phường")).toHaveValue("Văn Quán");
  await expect(two.getByLabel("Phường")).toHaveValue("Văn Quán");

  // {panel.born}: the age of that member alone.
  await one.getByLabel("Năm sinh").fill("1950");
  await expect(one.getByLabel("Tuổi")).toHaveValue("76");
  await expect(two.getByLabel("Tuổi")).toHaveValue("");
  await two.getByLabel("Năm sinh").fill("2000");
  await expect(two.getByLabel("Tuổi")).toHaveValue("26");
  await expect(one.getByLabel("Tuổi")).toHaveValue("76");

  // The second member lives elsewhere: changed there, that ward no longer follows the household's.
  await two.getByLabel("Phường").fill("Mộ Lao");
  // A top-level answer reaches every repeat.
  await page.getByLabel("Năm điều tra").fill("2027");
  await expect(one.getByLabel("Tuổi")).toHaveValue("77");
  await expect(two.getByLabel("Tuổi")).toHaveValue("27");
  await page.getByLabel("Phường của hộ").fill("Phúc La");
  await expect(one.getByLabel("Phường")).toHaveValue("Phúc La");
  await expect(two.getByLabel("Phường")).toHaveValue("Mộ Lao");

  // A new repeat starts from the answers now.
  await page.getByRole("button", { name: "Thêm người" }).click();
  const three = group(page, "Người 3");
  await expect(three.getByLabel("Phường")).toHaveValue("Phúc La");
  await expect(three.getByLabel("Tuổi")).toHaveValue("");
  await three.getByLabel("Năm sinh").fill("2020");
  await expect(three.getByLabel("Tuổi")).toHaveValue("7");
  await expectAccessible(page, "value rules in repeats");

  // The first member leaves: the one who lives elsewhere keeps their ward.
  await one.getByRole("button", { name: "Xoá người" }).click();
  await expect(group(page, "Người 3")).toHaveCount(0);
  await page.getByLabel("Phường của hộ").fill("Hà Cầu");
  await expect(group(page, "Người 1").getByLabel("Phường")).toHaveValue("Mộ Lao");
  await expect(group(page, "Người 2").getByLabel("Phường")).toHaveValue("Hà Cầu");
  // The person may still change a computed age; the next change of what it reads sets it again.
  await group(page, "Người 1").getByLabel("Tuổi").fill("30");
  await expect(group(page, "Người 2").getByLabel("Tuổi")).toHaveValue("7");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  await expect(review).toContainText("Mộ Lao");
  await expect(review).toContainText("Hà Cầu");
  await expectAccessible(page, "the review of value rules in repeats");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    year: 2027,
    ward_all: "Hà Cầu",
    members: [
      { born: 2000, age: 30, ward: "Mộ Lao" },
      { born: 2020, age: 7, ward: "Hà Cầu" },
    ],
  });
});
