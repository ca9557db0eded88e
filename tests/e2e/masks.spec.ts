// Issue 15: input masks (maskType, maskSettings) at 360×740. The box shows
// the text masked while it is typed; the answer is stored unmasked, as
// survey-core stores it; a reopened draft and the review show the masked text.
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { submitForm, expectAccessible } from "./fill";
import { records } from "./idb";

const VN = { decimalSeparator: ",", thousandsSeparator: "." };
const form = JSON.stringify({
  title: "Masks",
  locale: "vi",
  elements: [
    { type: "text", name: "so_tien", title: "Số tiền", maskType: "numeric", maskSettings: VN },
    { type: "text", name: "gia", title: "Giá", maskType: "currency", maskSettings: { ...VN, suffix: " ₫", precision: 0 } },
    { type: "text", name: "ngay", title: "Ngày", maskType: "datetime", maskSettings: { pattern: "dd/mm/yyyy" } },
    { type: "text", name: "dien_thoai", title: "Điện thoại", inputType: "tel", isRequired: true, maskType: "pattern", maskSettings: { pattern: "+84 999 999 999" } },
  ],
});

const plain = JSON.stringify({ title: "Plain", locale: "vi", elements: [{ type: "text", name: "ten", title: "Tên" }] });
// The mask module (mask/, crate phieu-mask), fetched only for a form with a mask.
const MASK_MODULE = /\/phieu-mask-[0-9a-f]{16}\.wasm$/;
// A multipletext's boxes take masks as a text question does (survey-core's item editors).
const boxes = JSON.stringify({
  title: "Masked boxes",
  locale: "vi",
  elements: [
    {
      type: "multipletext", name: "lien_he", title: "Liên hệ",
      items: [
        { name: "dien_thoai", title: "Điện thoại", inputType: "tel", isRequired: true, maskType: "pattern", maskSettings: { pattern: "+84 999 999 999" } },
        { name: "so_tien", title: "Số tiền", maskType: "currency", maskSettings: { ...VN, suffix: " ₫", precision: 0 } },
        { name: "ngay", title: "Ngày", maskType: "datetime", maskSettings: { pattern: "dd/mm/yyyy" } },
        { name: "ghi_chu", title: "Ghi chú" },
      ],
    },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/masks.json": form, "/plain.json": plain, "/boxes.json": boxes });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

test("masked boxes show the text formatted while typing and store SurveyJS's unmasked answers", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/masks.json")}&draft=new`);
  const field = (t: string) => page.getByLabel(t);

  // The phone's number pad for numbers, currency and dates; the tel pad for a phone number.
  await expect(field("Số tiền")).toHaveAttribute("inputmode", "decimal");
  await expect(field("Giá")).toHaveAttribute("inputmode", "decimal");
  await expect(field("Ngày")).toHaveAttribute("inputmode", "numeric");
  await expect(field("Điện thoại")).toHaveAttribute("inputmode", "tel");
  // An empty date or pattern box shows what to type, as SurveyJS's does.
  await expect(field("Ngày")).toHaveValue("dd/mm/yyyy");
  await expect(field("Điện thoại")).toHaveValue("+84 ___ ___ ___");

  await field("Số tiền").pressSequentially("12345675");
  await expect(field("Số tiền")).toHaveValue("12.345.675");
  // Backspace takes a digit, and the groups follow; the caret stays at the end.
  await field("Số tiền").press("Backspace");
  await field("Số tiền").pressSequentially(",5");
  await expect(field("Số tiền")).toHaveValue("1.234.567,5");

  await field("Giá").pressSequentially("250000");
  await expect(field("Giá")).toHaveValue("250.000 ₫");
  // Typed at the start, the digits regroup and the caret stays after what was typed.
  await field("Giá").press("Home");
  await field("Giá").pressSequentially("10");
  await expect(field("Giá")).toHaveValue("10.250.000 ₫");
  await field("Ngày").click();
  await field("Ngày").press("Home");
  await field("Ngày").pressSequentially("25122024");
  await expect(field("Ngày")).toHaveValue("25/12/2024");

  // Half a phone number is not an answer: SurveyJS's "complete the value".
  await field("Điện thoại").click();
  await field("Điện thoại").pressSequentially("91234");
  await expect(field("Điện thoại")).toHaveValue("+84 912 34_ ___");
  await page.locator('[data-nav="next"]').click();
  await expect(page.getByText("Vui lòng hoàn thành giá trị để phù hợp với định dạng yêu cầu.")).toBeVisible();
  await field("Điện thoại").pressSequentially("5678");
  await expect(field("Điện thoại")).toHaveValue("+84 912 345 678");
  await expectAccessible(page, "masked inputs");

  // The draft keeps the unmasked answers; reopened, it shows them masked.
  await expect(page).toHaveURL(/draft=[0-9a-f-]{36}/);
  await expect.poll(async () => (await records(page, "drafts")).map((d) => d.answers.dien_thoai)).toEqual(["84912345678"]);
  await page.reload();
  await expect(field("Số tiền")).toHaveValue("1.234.567,5");
  await expect(field("Giá")).toHaveValue("10.250.000 ₫");
  await expect(field("Ngày")).toHaveValue("25/12/2024");
  await expect(field("Điện thoại")).toHaveValue("+84 912 345 678");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  for (const shown of ["1.234.567,5", "10.250.000 ₫", "25/12/2024", "+84 912 345 678"]) await expect(review).toContainText(shown);
  await expectAccessible(page, "masked review");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    so_tien: 1234567.5,
    gia: 10250000,
    ngay: "2024-12-25",
    dien_thoai: "84912345678",
  });
});

test("a form without masks never fetches the mask module; a form with masks fetches it once and opens offline with it from the service worker", async ({ page, context }) => {
  const fetched: string[] = [];
  page.on("request", (r) => void (MASK_MODULE.test(r.url()) && fetched.push(r.url())));
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/plain.json")}&draft=new`);
  await page.getByLabel("Tên").fill("Lan");
  await expect(page.getByLabel("Tên")).toHaveValue("Lan");
  expect(fetched).toEqual([]);

  // The first download holds no mask logic: the form with masks waits for the module.
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/masks.json")}&draft=new`);
  await expect(page.getByLabel("Điện thoại")).toHaveValue("+84 ___ ___ ___");
  expect(fetched).toHaveLength(1);
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));

  // Second visit, offline: the module comes from the service worker's cache.
  const fromWorker: boolean[] = [];
  page.on("response", (r) => void (MASK_MODULE.test(r.url()) && fromWorker.push(r.fromServiceWorker())));
  await context.setOffline(true);
  await host.stop();
  await server.stop();
  await page.reload();
  await page.getByLabel("Điện thoại").click();
  await page.getByLabel("Điện thoại").pressSequentially("912345678");
  await expect(page.getByLabel("Điện thoại")).toHaveValue("+84 912 345 678");
  expect(fromWorker).toEqual([true]);
  await context.setOffline(false);
});

test("a form with masks that cannot have its mask module says so instead of showing boxes that would not mask", async ({ page }) => {
  await page.route(MASK_MODULE, (route) => route.abort());
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/masks.json")}&draft=new`);
  await expect(page.getByRole("alert")).toContainText("không tải được phần nhập theo mẫu");
  await expect(page.getByLabel("Điện thoại")).toHaveCount(0);
});

test("a multipletext's masked boxes show the text formatted and store SurveyJS's unmasked answers in the question's object", async ({ page }) => {
  await page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/boxes.json")}&draft=new`);
  const field = (t: string) => page.getByLabel(t, { exact: false });
  await expect(field("Điện thoại")).toHaveAttribute("inputmode", "tel");
  await expect(field("Số tiền")).toHaveAttribute("inputmode", "decimal");
  await expect(field("Ngày")).toHaveValue("dd/mm/yyyy");

  // Half a phone number: the box's own message, SurveyJS's "complete the value".
  await field("Điện thoại").click();
  await field("Điện thoại").pressSequentially("91234");
  await expect(field("Điện thoại")).toHaveValue("+84 912 34_ ___");
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator('[data-question="lien_he"]')).toContainText("Vui lòng hoàn thành giá trị để phù hợp với định dạng yêu cầu.");
  await field("Điện thoại").pressSequentially("5678");
  await expect(field("Điện thoại")).toHaveValue("+84 912 345 678");
  await field("Số tiền").pressSequentially("250000");
  await expect(field("Số tiền")).toHaveValue("250.000 ₫");
  await field("Ngày").click();
  await field("Ngày").press("Home");
  await field("Ngày").pressSequentially("25122024");
  await expect(field("Ngày")).toHaveValue("25/12/2024");
  await field("Ghi chú").fill("gọi buổi sáng");
  await expectAccessible(page, "masked boxes");

  await expect.poll(async () => (await records(page, "drafts")).map((d) => d.answers.lien_he?.dien_thoai)).toEqual(["84912345678"]);
  await page.reload();
  await expect(field("Điện thoại")).toHaveValue("+84 912 345 678");
  await expect(field("Số tiền")).toHaveValue("250.000 ₫");

  await page.locator('[data-nav="next"]').click();
  const review = page.locator(".review");
  for (const shown of ["+84 912 345 678", "250.000 ₫", "25/12/2024", "gọi buổi sáng"]) await expect(review).toContainText(shown);
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  expect((await server.submissions())[0].answers).toEqual({
    lien_he: { dien_thoai: "84912345678", so_tien: 250000, ngay: "2024-12-25", ghi_chu: "gọi buổi sáng" },
  });
});
