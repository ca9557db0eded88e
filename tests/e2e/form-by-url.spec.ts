// Forms opened by address (?form=<url>), as authors preview them: kept on the
// device for offline use, and a broken definition explained, never a blank page.
import { test, expect } from "@playwright/test";
import { next, pick, submitForm } from "./fill";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";

const preview = JSON.stringify({
  title: { default: "Khảo sát thử", en: "Trial survey" },
  elements: [
    { type: "text", name: "ward", title: { default: "Phường", en: "Ward" }, isRequired: true },
    { type: "boolean", name: "flooded", title: { default: "Có ngập không?", en: "Was it flooded?" } },
  ],
});
// Names in Vietnamese, referred to in another case: SurveyJS finds `Đơn_vị`
// as `{đơn_vị}` and `{ĐƠN_VỊ}` (JavaScript's toLowerCase), and so must phieu.
const vietnameseNames = JSON.stringify({
  title: "Tên tiếng Việt",
  pages: [
    {
      name: "p1",
      elements: [
        { type: "radiogroup", name: "Đơn_vị", title: "Đơn vị", choices: [{ value: "hd", text: "Hà Đông" }, { value: "dd", text: "Đống Đa" }] },
        { type: "comment", name: "Ý_kiến", title: "Ý kiến về {đơn_vị}", visibleIf: "{ĐƠN_VỊ} notempty", requiredIf: "{đơn_vị} = 'hd'" },
      ],
    },
    {
      name: "p2",
      title: "Tóm tắt",
      visibleIf: "{đơn_vị} = 'hd'",
      elements: [{ type: "expression", name: "Tóm_tắt", title: "Ghi lại", expression: "{ĐƠN_VỊ} + ': ' + {ý_kiến}" }],
    },
  ],
});
const broken = '{\n  "elements": [\n    {"type": "file", "name": "photo", "storeDataAsText": true}\n  ]\n}\n';

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/preview.json": preview, "/broken.json": broken, "/vn.json": vietnameseNames });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

test("a form opened once by address opens again offline, and its report is sent", async ({ page, context }) => {
  const address = `${server.url}/?form=${encodeURIComponent(host.url + "/preview.json")}`;
  await page.goto(address);
  await expect(page.getByRole("heading", { level: 1, name: "Khảo sát thử" })).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });

  await context.setOffline(true);
  await host.stop();
  await server.stop();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Khảo sát thử" })).toBeVisible();
  await page.getByLabel("Phường").fill("Văn Quán");
  await page.getByRole("radio", { name: "Không" }).check();
  await submitForm(page);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("1");

  await server.launch();
  await context.setOffline(false);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("0", { timeout: 15_000 });
  const rows = await server.submissions();
  expect(rows.map((r) => [r.form.id, r.answers])).toEqual([["preview", { ward: "Văn Quán", flooded: false }]]);
});

test("the definition downloads beside the app, once, and not again for a draft that has it", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/preview.json")}&draft=new`);
  await expect(page.getByRole("heading", { level: 1, name: "Khảo sát thử" })).toBeVisible();
  // Asked for by index.html's preload while the wasm was still on its way,
  // and that one response is what the app read: one request, not two.
  expect(host.gets.filter((p) => p === "/preview.json")).toHaveLength(1);
  const entries = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => ({ name: e.name, by: (e as PerformanceResourceTiming).initiatorType })),
  );
  expect(entries.filter((e) => e.name.endsWith("/preview.json"))).toEqual([{ name: host.url + "/preview.json", by: "link" }]);

  // A draft reopens on its own stored copy of the form, so nothing is
  // preloaded for it: by its id (a reload), or as the form's latest draft.
  await page.getByLabel("Phường").fill("Văn Quán");
  await expect.poll(() => page.evaluate(() => location.search)).toMatch(/draft=(?!new)/);
  for (const address of [page.url(), `${server.url}/?form=${encodeURIComponent(host.url + "/preview.json")}`]) {
    await page.goto(address);
    await expect(page.getByLabel("Phường")).toHaveValue("Văn Quán");
    const again = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/preview.json")).length);
    expect(again, address).toBe(0);
  }
  expect(host.gets.filter((p) => p === "/preview.json")).toHaveLength(1);
});

test("a form never opened on this device says so offline, with the outbox count still shown", async ({ page, context }) => {
  await page.goto(server.url + "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await server.stop();
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/never-opened.json")}`);
  await expect(page.getByRole("alert")).toContainText("Chưa mở được phiếu này");
  await expect(page.getByTestId("outbox-count")).toContainText("Chờ gửi: 0");
  await server.launch();
});

test("a broken definition lists its errors with line and column", async ({ page }) => {
  const url = host.url + "/broken.json";
  await page.goto(`${server.url}/?form=${encodeURIComponent(url)}`);
  const errors = page.locator(".definition-errors");
  await expect(errors.getByRole("heading")).toHaveText("Định nghĩa phiếu có lỗi, nên chưa thể hiển thị:");
  await expect(errors.locator("li")).toHaveText([
    `${url}:3:39: error: elements[0].storeDataAsText: phieu does not put a file's bytes inside the answer: each file is sent on its own and the answer names it by hash ({"name", "type", "size", "sha256"}); remove 'storeDataAsText' or set it to false`,
  ]);
  await expect(page.locator("#fatal")).toBeHidden();
});

test("logic is live: visibleIf, enableIf, requiredIf and choice visibility follow the answers", async ({ page }) => {
  const logic = {
    phieu: { id: "logic", version: "1" },
    elements: [
      { type: "radiogroup", name: "opinion", title: "Ý kiến", choices: [{ value: "good", text: "Tốt" }, { value: "bad", text: "Chưa tốt" }] },
      { type: "comment", name: "why", title: "Vì sao?", visibleIf: "{opinion} = 'bad'", isRequired: true },
      { type: "radiogroup", name: "urgency", title: "Mức độ", choices: [{ value: "low", text: "Thấp" }, { value: "high", text: "Cao" }] },
      { type: "comment", name: "proposal", title: "Đề xuất", requiredIf: "{urgency} = 'high'" },
      { type: "boolean", name: "agree", title: "Đồng ý?" },
      { type: "text", name: "detail", title: "Chi tiết", enableIf: "{agree} = true" },
      { type: "text", name: "district", title: "Quận" },
      {
        type: "dropdown", name: "ward", title: "Phường",
        choices: [
          { value: "vq", text: "Văn Quán", visibleIf: "{district} = 'Hà Đông'" },
          { value: "kl", text: "Kim Liên", visibleIf: "{district} = 'Đống Đa'" },
        ],
      },
    ],
  };
  host = new FormHost({ "/logic.json": JSON.stringify(logic) });
  await host.start();
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/logic.json")}&draft=new`);
  const why = page.getByLabel("Vì sao?");
  await expect(why).toBeHidden();
  await page.getByRole("radio", { name: "Chưa tốt" }).check();
  await expect(why).toBeVisible();
  await why.fill("rác chưa thu gom");
  await page.getByRole("radio", { name: "Tốt", exact: true }).check();
  await expect(why).toBeHidden();

  await expect(page.locator('[data-question="proposal"] .req')).toBeHidden();
  await page.getByRole("radio", { name: "Cao" }).check();
  await expect(page.locator('[data-question="proposal"] .req')).toHaveCount(1);

  await expect(page.getByLabel("Chi tiết")).toBeDisabled();
  await page.getByRole("radio", { name: "Có", exact: true }).check();
  await expect(page.getByLabel("Chi tiết")).toBeEnabled();

  await page.getByLabel("Quận").fill("Hà Đông");
  await expect(page.locator("#q-ward option", { hasText: "Văn Quán" })).not.toHaveAttribute("hidden", /.*/);
  await expect(page.locator("#q-ward option", { hasText: "Kim Liên" })).toHaveAttribute("hidden", "");

  // requiredIf holds: moving on without a proposal is refused; with one, it goes.
  await page.locator('[data-nav="next"]').click();
  await expect(page.getByLabel("Đề xuất")).toBeFocused();
  await expect(page.locator('[data-question="proposal"]')).toHaveClass(/invalid/);
  await page.getByLabel("Đề xuất").fill("thu gom buổi tối");
  await page.getByLabel("Phường").selectOption({ label: "Văn Quán" });
  await submitForm(page);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("0", { timeout: 15_000 });
  const [row] = await server.submissions();
  // The hidden question's earlier answer is left out, as SurveyJS does.
  expect(row.answers).toEqual({ opinion: "good", urgency: "high", proposal: "thu gom buổi tối", agree: true, district: "Hà Đông", ward: "vq" });
});

test("Vietnamese names match in any case: in conditions, pages, titles and calculations", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/vn.json")}`);
  await expect(page.getByRole("heading", { level: 1, name: "Tên tiếng Việt" })).toBeVisible();
  await expect(page.getByLabel(/Ý kiến/)).toBeHidden();
  await page.getByRole("radio", { name: "Hà Đông" }).check();
  // `{đơn_vị}` in the title shows the choice's label; `{ĐƠN_VỊ} notempty` shows the question.
  const opinion = page.getByLabel("Ý kiến về Hà Đông");
  await expect(opinion).toBeVisible();
  await next(page);
  await expect(page.locator(".question.invalid")).toHaveCount(1);
  await opinion.fill("tốt");
  await next(page, "Tóm tắt");
  await expect(page.getByText("hd: tốt")).toBeVisible();
  await submitForm(page);
  await expect(page.getByTestId("outbox-count").locator("strong")).toHaveText("0", { timeout: 15_000 });
  const rows = await server.submissions();
  expect(rows.map((r) => r.answers)).toEqual([{ "Đơn_vị": "hd", "Ý_kiến": "tốt", "Tóm_tắt": "hd: tốt" }]);
});
