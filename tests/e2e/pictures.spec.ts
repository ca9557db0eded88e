// `image` and `imagepicker` (issue 15) at 360×740: pictures beside the form
// (its own site) or data: URLs, kept offline by the service worker; an
// imagepicker answers as a radiogroup (or a checkbox with multiSelect), its
// options' texts read out even when not shown; a picture from another site
// is not loaded.
import { test, expect } from "@playwright/test";
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PhieuServer } from "./server";
import { expectAccessible, submitForm } from "./fill";

/** A small SVG picture of one colour. */
const svg = (colour: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="${colour}"/></svg>`;
const dataUrl = (colour: string) => "data:image/svg+xml;base64," + Buffer.from(svg(colour)).toString("base64");

const form = {
  title: "Tranh ảnh",
  locale: "vi",
  phieu: { id: "pictures", version: "1" },
  elements: [
    { type: "image", name: "banner", imageLink: "pics/banner.svg", altText: "Băng rôn của phường", imageWidth: 200, imageHeight: 150 },
    { type: "image", name: "elsewhere", imageLink: "https://example.invalid/x.png", altText: "Ảnh nơi khác" },
    {
      type: "imagepicker",
      name: "sign",
      title: "Biển báo nào bị hỏng?",
      choices: [
        { value: "stop", text: "Biển dừng", imageLink: "pics/stop.svg" },
        { value: "turn", text: "Biển rẽ", imageLink: dataUrl("blue") },
      ],
    },
    {
      type: "imagepicker",
      name: "seen",
      title: "Đã thấy những gì?",
      multiSelect: true,
      showLabel: true,
      choices: [
        { value: "trash", text: "Rác", imageLink: dataUrl("green") },
        { value: "water", text: "Nước đọng", imageLink: dataUrl("navy") },
        { value: "light", text: "Đèn hỏng", imageLink: dataUrl("gray") },
      ],
    },
  ],
};

let server: PhieuServer;
test.beforeEach(async () => {
  // The form and its pictures on the app's own site, as an office puts them in forms/.
  const dist = mkdtempSync(path.join(tmpdir(), "phieu-pictures-"));
  cpSync(path.join(__dirname, "../../dist"), dist, { recursive: true });
  mkdirSync(path.join(dist, "forms/pics"), { recursive: true });
  writeFileSync(path.join(dist, "forms/pictures.json"), JSON.stringify(form));
  writeFileSync(path.join(dist, "forms/pics/banner.svg"), svg("red"));
  writeFileSync(path.join(dist, "forms/pics/stop.svg"), svg("orange"));
  server = await PhieuServer.start([], dist);
});
test.afterEach(async () => {
  await server.stop();
});

const formPage = () => `${server.url}/?form=${encodeURIComponent("forms/pictures.json")}&draft=new`;
const loaded = (img) => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0);

test("pictures beside the form and data: URLs show, offline too; another site's is not loaded; an imagepicker answers as SurveyJS does", async ({ page, context }) => {
  await page.goto(formPage());
  const banner = page.getByRole("img", { name: "Băng rôn của phường" });
  await expect(banner).toHaveAttribute("src", `${server.url}/forms/pics/banner.svg`);
  await expect.poll(() => loaded(banner)).toBe(true);
  // Not the form's site: never asked for (another site would learn who opens the form).
  await expect(page.getByRole("img", { name: "Ảnh nơi khác" })).not.toHaveAttribute("src", /.+/);
  const stop = page.locator('[data-question="sign"] img').first();
  await expect.poll(() => loaded(stop)).toBe(true);
  await expectAccessible(page, "image and imagepicker");

  // Offline from the second visit on: the pictures the form showed are kept.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => loaded(page.getByRole("img", { name: "Băng rôn của phường" }))).toBe(true);
  await context.setOffline(true);
  await server.stop();
  await page.reload();
  await expect.poll(() => loaded(page.getByRole("img", { name: "Băng rôn của phường" }))).toBe(true);
  await expect.poll(() => loaded(page.locator('[data-question="sign"] img').first())).toBe(true);
  await server.launch();
  await context.setOffline(false);

  // One picture: its text is read out though not shown (no showLabel).
  const sign = page.locator('[data-question="sign"]');
  expect((await sign.getByText("Biển rẽ").boundingBox())!.width).toBeLessThanOrEqual(1);
  await sign.getByRole("radio", { name: "Biển rẽ" }).check({ force: true });
  // Several, with their texts shown.
  const seen = page.locator('[data-question="seen"]');
  await expect(seen.getByText("Nước đọng")).toBeVisible();
  await seen.getByRole("checkbox", { name: "Nước đọng" }).check({ force: true });
  await seen.getByRole("checkbox", { name: "Rác" }).check({ force: true });
  while (!(await page.locator('[data-nav="submit"]').isVisible())) await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("Biển rẽ");
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 15_000 }).toBe(1);
  const answers = (await server.submissions())[0].answers;
  expect(answers.sign).toBe("turn");
  expect(answers.seen.sort()).toEqual(["trash", "water"]);
  expect(Object.keys(answers).sort()).toEqual(["seen", "sign"]);
});
