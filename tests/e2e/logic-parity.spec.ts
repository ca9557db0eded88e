// Issue 15's logic, on screen at 360×740: survey triggers (setvalue, skip,
// complete), value rules (setValueExpression, setValueIf,
// defaultValueExpression re-run), page visibleIf and choicesVisibleIf,
// each behaving as survey-core does (tests/expr-diff/logic-compare.mjs
// compares the same semantics with survey-core itself).
import { test, expect } from "@playwright/test";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";

const form = JSON.stringify({
  title: "Logic",
  locale: "vi",
  pages: [
    {
      name: "p1",
      title: "Trang một",
      elements: [
        { type: "radiogroup", name: "kind", title: "Loại", choices: [{ value: "a", text: "Loại A" }, { value: "b", text: "Loại B" }, { value: "stop", text: "Dừng" }] },
        { type: "text", name: "first", title: "Tên" },
        { type: "text", name: "greeting", title: "Lời chào", setValueExpression: "'Chào ' + {first}" },
        { type: "text", name: "copy", title: "Bản sao", defaultValueExpression: "{first}" },
        { type: "boolean", name: "none", title: "Không có ghi chú" },
        { type: "text", name: "detail", title: "Chi tiết", setValueIf: "{none} = true" },
        {
          type: "radiogroup", name: "size", title: "Cỡ",
          choices: ["small", "large"], choicesVisibleIf: "{kind} != 'a' or {item} = 'small'",
        },
      ],
    },
    { name: "p2", title: "Trang hai", visibleIf: "{kind} != 'b'", elements: [{ type: "text", name: "note", title: "Ghi chú", isRequired: true }] },
    { name: "p3", title: "Trang ba", elements: [{ type: "text", name: "last", title: "Cuối" }] },
  ],
  triggers: [
    { type: "setvalue", expression: "{kind} = 'a'", setToName: "note", setValue: "đặt bởi trigger" },
    { type: "skip", expression: "{kind} = 'b'", gotoName: "last" },
    { type: "complete", expression: "{kind} = 'stop'" },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  server = await PhieuServer.start();
  host = new FormHost({ "/logic.json": form });
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
  await server.stop();
});

const open = (page) => page.goto(`${server.url}/?form=${encodeURIComponent(host.url + "/logic.json")}&draft=new`);
const heading = (page, name: string) => page.getByRole("heading", { level: 2, name, exact: true });

test("value rules and a setvalue trigger change answers on screen", async ({ page }) => {
  await open(page);
  await expect(heading(page, "Trang một")).toBeVisible();
  // setValueExpression follows what it reads; defaultValueExpression follows until the person changes it.
  await page.getByLabel("Tên", { exact: true }).fill("Lan");
  await expect(page.getByLabel("Lời chào")).toHaveValue("Chào Lan");
  await expect(page.getByLabel("Bản sao")).toHaveValue("Lan");
  await page.getByLabel("Bản sao").fill("của tôi");
  await page.getByLabel("Tên", { exact: true }).fill("Mai");
  await expect(page.getByLabel("Lời chào")).toHaveValue("Chào Mai");
  await expect(page.getByLabel("Bản sao")).toHaveValue("của tôi");
  // setValueIf without setValueExpression clears.
  await page.getByLabel("Chi tiết").fill("abc");
  await page.locator('[data-question="none"]').getByText("Có", { exact: true }).click();
  await expect(page.getByLabel("Chi tiết")).toHaveValue("");
  // A setvalue trigger fills a question on the next page.
  await page.getByText("Loại A", { exact: true }).click();
  await page.locator('[data-nav="next"]').click();
  await expect(heading(page, "Trang hai")).toBeVisible();
  await expect(page.getByLabel("Ghi chú")).toHaveValue("đặt bởi trigger");
});

test("a skip trigger moves to its question's page, and page visibleIf hides a page", async ({ page }) => {
  await open(page);
  await expect(page.locator(".progress")).toContainText("1/3");
  await page.getByText("Loại B", { exact: true }).click();
  await expect(heading(page, "Trang ba")).toBeVisible();
  await expect(page.getByLabel("Cuối")).toBeFocused();
  // Page two is hidden while kind is b: two pages left.
  await expect(page.locator(".progress")).toContainText("2/2");
});

test("a complete trigger ends the form at its page: Next becomes Review and later pages are not asked", async ({ page }) => {
  await open(page);
  const next = page.locator('[data-nav="next"]');
  await expect(next).toHaveText("Tiếp");
  await page.getByText("Dừng", { exact: true }).click();
  await expect(next).toHaveText("Xem lại");
  await next.click();
  await expect(page.locator(".review")).toBeVisible();
  await page.locator('[data-nav="submit"]').click();
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  // "note" on page two is required, but the form ended before it.
  expect((await server.submissions())[0].answers).toEqual({ kind: "stop" });
});

// Fails today: the core hides the option (logic.rs's ChoiceVisible rules,
// tested natively), but the radio stays on screen. Left to fix with the
// renderer rewrite (src/form/widgets.rs), which is not this file's owner's.
test("choicesVisibleIf hides an option on screen", async ({ page }) => {
  await open(page);
  const large = page.locator('[data-question="size"]').getByText("large", { exact: true });
  await expect(large).toBeVisible();
  await page.getByText("Loại A", { exact: true }).click();
  await expect(large).toBeHidden();
});
