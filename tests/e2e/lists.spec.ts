// Choice lists kept beside the form (`choicesByUrl`, issue 15) at 360×740:
// a list is fetched with its form and kept with it, so the form opens
// offline with its options; the server checks a choice against the same
// list; a draft keeps the list it was started with after the list changes
// on the server, while a new report takes the new one; and a list that
// cannot be fetched the first time is said so, never an empty question.
import { test, expect, Page } from "@playwright/test";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PhieuServer } from "./server";
import { expectAccessible, pick, submitForm } from "./fill";

const districts = {
  title: "Phản ánh theo quận",
  locale: "vi",
  phieu: { id: "theo-quan", version: "1" },
  elements: [
    {
      type: "dropdown",
      name: "district",
      title: "Quận, huyện, thị xã",
      isRequired: true,
      // The example forms' own list (forms/lists/), as they name it.
      choicesByUrl: { url: "lists/hanoi-districts.json", valueName: "value", titleName: "title" },
    },
  ],
};

/** A small list whose items sit under `data.items`, with their own field names. */
const wardList = (items: [string, string][]) => JSON.stringify({ data: { items: items.map(([code, name]) => ({ code, name })) } });
const wards = {
  title: "Phường",
  locale: "vi",
  phieu: { id: "phuong", version: "1" },
  elements: [
    { type: "radiogroup", name: "ward", title: "Phường nào?", choicesByUrl: { url: "lists/wards.json", path: "data.items", valueName: "code", titleName: "name" } },
    { type: "text", name: "note", title: "Ghi chú" },
  ],
};

const missing = {
  title: "Thiếu danh sách",
  phieu: { id: "thieu", version: "1" },
  elements: [{ type: "dropdown", name: "unit", title: "Đơn vị", choicesByUrl: { url: "lists/nowhere.json" } }],
};

let server: PhieuServer;
let forms: string;
test.beforeEach(async () => {
  // The forms and their lists on the app's own site, as an office puts them in forms/;
  // the server checks reports against the same files.
  const dist = mkdtempSync(path.join(tmpdir(), "phieu-lists-"));
  cpSync(path.join(__dirname, "../../dist"), dist, { recursive: true });
  forms = path.join(dist, "forms");
  writeFileSync(path.join(forms, "theo-quan.json"), JSON.stringify(districts));
  writeFileSync(path.join(forms, "phuong.json"), JSON.stringify(wards));
  writeFileSync(path.join(forms, "thieu.json"), JSON.stringify(missing));
  writeFileSync(path.join(forms, "lists/wards.json"), wardList([["a", "Phường A"], ["b", "Phường B"]]));
  server = await PhieuServer.start(["--forms", forms], dist);
});
test.afterEach(async () => {
  await server.stop();
});

const open = (page: Page, file: string, draft = "new") => page.goto(`${server.url}/?form=${encodeURIComponent(`forms/${file}.json`)}&draft=${draft}`);

test("a form's list comes with it, works offline from the second visit, and the server checks the choice against it", async ({ page, context }) => {
  await open(page, "theo-quan");
  const box = page.getByRole("combobox", { name: "Quận, huyện, thị xã" });
  await box.click();
  await expect(page.getByRole("option")).toHaveCount(30);
  await expect(page.getByRole("option", { name: "Quận Hoàn Kiếm", exact: true })).toBeVisible();
  await expectAccessible(page, "a dropdown from a list");

  // Offline from the second visit on: the form opens with its list.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Quận, huyện, thị xã" })).toBeVisible();
  await context.setOffline(true);
  await server.stop();
  await open(page, "theo-quan");
  await pick(page, "Quận, huyện, thị xã", "hoan kiem", "Quận Hoàn Kiếm");
  await page.locator('[data-nav="next"]').click();
  await expect(page.locator(".review")).toContainText("Quận Hoàn Kiếm");
  await submitForm(page);
  await expect(page.locator("section.done")).toBeVisible();

  // Back online, it is sent; the server, which checks it against the same list, takes it.
  await server.launch();
  await context.setOffline(false);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 20_000 }).toBe(1);
  const [sent] = await server.submissions();
  expect(sent.answers).toEqual({ district: "hoan-kiem" });
  // The version names the list too.
  expect(sent.form).toEqual({ id: "theo-quan", version: expect.stringMatching(/^1\+[0-9a-f]{8}$/) });
});

test("a draft keeps the list it was started with; a new report takes the changed one", async ({ page }) => {
  await open(page, "phuong");
  const ward = page.locator('[data-question="ward"]');
  await expect(ward.getByRole("radio")).toHaveCount(2);
  await ward.getByRole("radio", { name: "Phường B" }).check();
  await page.getByLabel("Ghi chú").fill("bắt đầu với danh sách cũ");
  await expect.poll(() => page.evaluate(() => location.search)).toMatch(/draft=(?!new)/);
  const draftUrl = page.url();

  // The office changes the list: B goes, A is renamed, C comes.
  writeFileSync(path.join(forms, "lists/wards.json"), wardList([["a", "Phường A (mới)"], ["c", "Phường C"]]));
  await server.relaunch(["--forms", forms]);

  // The draft reopens on the list it began with, its answer still offered.
  await page.goto(draftUrl);
  await expect(page.getByLabel("Ghi chú")).toHaveValue("bắt đầu với danh sách cũ");
  await expect(ward.getByRole("radio", { name: "Phường B" })).toBeChecked();
  await expect(ward.getByRole("radio")).toHaveCount(2);
  await expect(ward.getByRole("radio", { name: "Phường C" })).toHaveCount(0);

  // A new report takes the new list.
  await open(page, "phuong");
  await expect(ward.getByRole("radio")).toHaveCount(2);
  await expect(ward.getByRole("radio", { name: "Phường C" })).toBeVisible();
  await expect(ward.getByRole("radio", { name: "Phường A (mới)" })).toBeVisible();
  await ward.getByRole("radio", { name: "Phường C" }).check();
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 20_000 }).toBe(1);

  // The old draft is finished and sent as it was begun: the server keeps it, checked by its own version.
  await page.goto(draftUrl);
  await expect(ward.getByRole("radio", { name: "Phường B" })).toBeChecked();
  await submitForm(page);
  await expect.poll(async () => (await server.submissions()).length, { timeout: 20_000 }).toBe(2);
  const [fresh, old] = await server.submissions();
  expect(fresh.answers).toEqual({ ward: "c" });
  expect(old.answers).toEqual({ ward: "b", note: "bắt đầu với danh sách cũ" });
  expect(old.form.version).not.toEqual(fresh.form.version);
});

test("a list that cannot be fetched on the first visit is said so, with its address", async ({ page }) => {
  await open(page, "thieu");
  const alert = page.getByRole("alert").filter({ hasText: "không tải được danh sách lựa chọn" });
  await expect(alert).toBeVisible();
  await expect(page.locator(".detail")).toContainText("forms/lists/nowhere.json: 404");
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expectAccessible(page, "a list that cannot be fetched");
});

test("the household survey's districts and, for Hoàn Kiếm, its wards come from forms/lists", async ({ page }) => {
  await open(page, "ho-gia-dinh");
  await expect(page.getByLabel("Phường, xã, thị trấn")).toBeVisible();
  await pick(page, "Quận, huyện, thị xã", "hoan kiem", "Quận Hoàn Kiếm");
  // The wards of one district, read from under "wards" in their list, instead of the free text.
  await expect(page.getByLabel("Phường, xã, thị trấn")).toBeHidden();
  const ward = page.getByRole("combobox", { name: "Phường", exact: true });
  await ward.click();
  await expect(page.getByRole("option")).toHaveCount(18);
  await pick(page, "Phường", "hang bac", "Phường Hàng Bạc");
  await expect(ward).toHaveValue("Phường Hàng Bạc");
  await expectAccessible(page, "the wards of Hoàn Kiếm from a list");
});
