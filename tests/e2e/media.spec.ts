// Photos, files and signatures (issue 14) at 360×740, against a real
// `phieu serve`: a photo is made small on the phone and stored before the
// answer names it; the report names files by hash; files go first, each
// once, and only what the server lacks goes again after a cut; a full
// storage keeps the rest of the draft.
import { test, expect, Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PhieuServer } from "./server";
import { FormHost } from "./form-host";
import { expectAccessible, submitForm } from "./fill";

const form = JSON.stringify({
  title: "Ngõ ngập",
  locale: "vi",
  phieu: { id: "ngap", version: "1" },
  elements: [
    { type: "text", name: "what", title: "Mô tả" },
    { type: "file", name: "photos", title: "Ảnh", allowMultiple: true, maxFiles: 3, acceptedTypes: "image/*" },
    { type: "signaturepad", name: "sign", title: "Chữ ký người báo", penColor: "#1a237e" },
  ],
});

let server: PhieuServer;
let host: FormHost;
test.beforeEach(async () => {
  host = new FormHost({ "/ngap.json": form });
  await host.start();
});
test.afterEach(async () => {
  await server?.stop();
  await host.stop();
});

const formPage = () => `${server.url}/?form=${encodeURIComponent(host.url + "/ngap.json")}&draft=new`;
const pending = (page: Page) => page.getByTestId("outbox-count").locator("strong");

/** A JPEG drawn by the browser (a gradient and shapes, so it is a real photo-sized file). */
async function jpeg(page: Page, width: number, height: number, hue = 200): Promise<Buffer> {
  const b64 = await page.evaluate(
    async ([w, h, hue]) => {
      const c = new OffscreenCanvas(w, h);
      const g = c.getContext("2d")!;
      const grad = g.createLinearGradient(0, 0, w, h);
      grad.addColorStop(0, `hsl(${hue} 70% 40%)`);
      grad.addColorStop(1, `hsl(${hue + 90} 70% 70%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, w, h);
      for (let i = 0; i < 60; i++) {
        g.fillStyle = `hsl(${(hue + i * 13) % 360} 60% 50%)`;
        g.beginPath();
        g.arc((i * 997) % w, (i * 613) % h, 40 + (i % 7) * 30, 0, 7);
        g.fill();
      }
      const blob = await c.convertToBlob({ type: "image/jpeg", quality: 0.92 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [width, height, hue] as const,
  );
  return Buffer.from(b64, "base64");
}

/** `jpeg` with an EXIF block saying "rotate 90° clockwise to show" (orientation 6), as a phone held upright writes it. */
function withOrientation6(jpeg: Buffer): Buffer {
  const tiff = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, body.length + 2]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/** A JPEG's width and height, from its start-of-frame marker. */
function jpegSize(b: Buffer): [number, number] {
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + len;
  }
  throw new Error("no start of frame");
}

/** A file the server holds, fetched as the admin. */
async function serverFile(sha: string): Promise<{ type: string; bytes: Buffer }> {
  const res = await fetch(`${server.url}/api/files/${sha}`, { headers: { Authorization: `Bearer ${server.adminToken}` } });
  expect(res.status, `GET /api/files/${sha}`).toBe(200);
  return { type: res.headers.get("content-type") || "", bytes: Buffer.from(await res.arrayBuffer()) };
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Every file stored in the server's files folder (one per hash). */
function storedFiles(): string[] {
  const dir = path.join(path.dirname(server.db), "files");
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith("."))
    .map((d) => path.basename(d.parentPath ?? (d as any).path) + d.name);
}

async function draw(page: Page) {
  const pad = page.getByRole("img", { name: "Ký vào ô này" });
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + box.height / 2 + (i % 2 ? -15 : 15));
  await page.mouse.up();
  // Kept as a PNG a moment after the stroke.
  await expect.poll(() => pad.evaluate((c: any) => !!c.kept), { timeout: 10_000 }).toBe(true);
}

test("a 12 MP photo is stored at most 1600 px, sent offline-then-online over a reload, and the server holds exactly those bytes", async ({ page, context }) => {
  test.setTimeout(90_000);
  server = await PhieuServer.start();
  await page.goto(formPage());
  await page.evaluate(() => navigator.serviceWorker.ready);
  const big = await jpeg(page, 4000, 3000);
  await page.getByLabel("Mô tả").fill("Ngõ 12 ngập");
  await page.getByLabel("Thêm ảnh").setInputFiles({ name: "IMG_0042.jpg", mimeType: "image/jpeg", buffer: big });
  const row = page.locator(".thumbs li");
  await expect(row).toHaveCount(1, { timeout: 20_000 });
  await expect(row.locator("span")).toContainText("IMG_0042.jpg");
  // The thumbnail is the stored copy, shown at once.
  await expect(row.locator("img")).toBeVisible();
  const shown = await row.locator("img").evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(shown).toEqual([1600, 1200]);
  await draw(page);
  await expectAccessible(page, "a file question with a photo, and a signature pad");

  await context.setOffline(true);
  await submitForm(page);
  await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
  await page.reload();
  await expect(pending(page)).toHaveText("1");
  await context.setOffline(false);
  await expect(pending(page)).toHaveText("0", { timeout: 30_000 });

  const [sub] = await server.submissions();
  expect(sub.answers.what).toBe("Ngõ 12 ngập");
  const [photo] = sub.answers.photos;
  expect(photo).toEqual({ name: "IMG_0042.jpg", type: "image/jpeg", size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  const held = await serverFile(photo.sha256);
  expect(sha256(held.bytes)).toBe(photo.sha256);
  expect(held.bytes.length).toBe(photo.size);
  expect(held.type).toBe("image/jpeg");
  expect(jpegSize(held.bytes)).toEqual([1600, 1200]);
  expect(photo.size).toBeLessThan(big.length);

  // The signature arrives as a PNG the server holds.
  expect(sub.answers.sign).toMatchObject({ name: "signature.png", type: "image/png" });
  const sign = await serverFile(sub.answers.sign.sha256);
  expect(sign.bytes.subarray(1, 4).toString()).toBe("PNG");
  expect(sha256(sign.bytes)).toBe(sub.answers.sign.sha256);
});

test("a photo taken upright is stored upright, without its metadata", async ({ page }) => {
  server = await PhieuServer.start();
  await page.goto(formPage());
  // 400×200 pixels that the camera asks to be turned: the picture is 200 wide, 400 high.
  const turned = withOrientation6(await jpeg(page, 400, 200));
  expect(turned.includes("Exif")).toBe(true);
  await page.getByLabel("Thêm ảnh").setInputFiles({ name: "upright.jpg", mimeType: "image/jpeg", buffer: turned });
  await expect(page.locator(".thumbs li img")).toBeVisible({ timeout: 15_000 });
  await submitForm(page);
  await expect(pending(page)).toHaveText("0", { timeout: 20_000 });
  const [sub] = await server.submissions();
  const held = (await serverFile(sub.answers.photos[0].sha256)).bytes;
  expect(jpegSize(held)).toEqual([200, 400]);
  expect(held.includes("Exif")).toBe(false);
});

test("a photo can be removed, the limit is kept, and a reopened draft shows its photos and signature", async ({ page }) => {
  server = await PhieuServer.start();
  await page.goto(formPage());
  const files = [1, 2, 3, 4].map(async (i) => ({ name: `p${i}.jpg`, mimeType: "image/jpeg", buffer: await jpeg(page, 300 + i, 200, i * 40) }));
  const [a, b, c, d] = await Promise.all(files);
  await page.getByLabel("Thêm ảnh").setInputFiles([a, b]);
  await expect(page.locator(".thumbs li")).toHaveCount(2, { timeout: 15_000 });
  await page.getByLabel("Thêm ảnh").setInputFiles([c, d]);
  // maxFiles 3: the fourth is not kept, and the person is told why.
  await expect(page.locator(".thumbs li")).toHaveCount(3);
  await expect(page.getByTestId("file-note")).toHaveText("Vui lòng chọn không quá 3 mục.");
  await expect(page.locator("label.button", { hasText: "Thêm ảnh" })).toBeHidden();
  await page.locator(".thumbs li", { hasText: "p2.jpg" }).getByRole("button", { name: "Xoá" }).click();
  await expect(page.locator(".thumbs li span")).toHaveText([/p1\.jpg/, /p3\.jpg/]);
  await draw(page);
  await page.goto(server.url + "/");
  await page.getByRole("link", { name: /Ngõ ngập/ }).first().click();
  await expect(page.locator(".thumbs li span")).toHaveText([/p1\.jpg/, /p3\.jpg/]);
  await expect(page.locator(".thumbs li img").first()).toBeVisible();
  // The kept signature is drawn back on the pad.
  const inked = await page.getByRole("img", { name: "Ký vào ô này" }).evaluate(async (c: HTMLCanvasElement) => {
    await new Promise((r) => setTimeout(r, 300));
    const px = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] < 128) dark++;
    return dark;
  });
  expect(inked).toBeGreaterThan(50);
});

test("a connection cut in the middle of the files: everything arrives once, no file is stored twice, no report is lost", async ({ page, context }) => {
  test.setTimeout(150_000);
  server = await PhieuServer.start();
  await page.goto(formPage());
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  const reports = 4;
  for (let r = 0; r < reports; r++) {
    await page.goto(formPage());
    await page.getByLabel("Mô tả").fill(`r${r}`);
    const photos = await Promise.all([0, 1, 2].map(async (i) => ({ name: `r${r}-${i}.jpg`, mimeType: "image/jpeg", buffer: await jpeg(page, 900, 700, r * 50 + i * 17) })));
    await page.getByLabel("Thêm ảnh").setInputFiles(photos);
    await expect(page.locator(".thumbs li")).toHaveCount(3, { timeout: 20_000 });
    await submitForm(page);
    await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
  }
  const puts: { sha: string; status: number }[] = [];
  // The app's requests and its service worker's (Background Sync may start first).
  context.on("requestfinished", async (req) => {
    if (req.method() === "PUT") puts.push({ sha: req.url().split("/").pop()!, status: (await req.response())?.status() ?? 0 });
  });
  context.on("requestfailed", (req) => {
    if (req.method() === "PUT") puts.push({ sha: req.url().split("/").pop()!, status: 0 });
  });
  // Half the uploads are cut half-way, a fifth of the reports dropped after storing.
  await server.relaunch(["--faults", "cut:0.5,drop:0.2,seed:7"]);
  await context.setOffline(false);
  await page.goto(server.url + "/?screen=outbox");
  await expect(pending(page)).toHaveText("0", { timeout: 120_000 });

  const subs = await server.submissions();
  expect(subs.map((s) => s.answers.what).sort()).toEqual(["r0", "r1", "r2", "r3"]);
  expect(new Set(subs.map((s) => s.id)).size).toBe(reports);
  const named = subs.flatMap((s) => s.answers.photos.map((p: any) => p.sha256));
  expect(new Set(named).size).toBe(reports * 3);
  // Each file is stored once, under its hash, with exactly its bytes.
  expect(storedFiles().sort()).toEqual([...new Set(named)].sort());
  for (const sha of named) expect(sha256((await serverFile(sha)).bytes)).toBe(sha);
  // Cuts happened, and a file the server had was never sent again.
  expect(puts.some((p) => p.status === 0)).toBe(true);
  const stored = puts.filter((p) => p.status === 201).map((p) => p.sha);
  expect(new Set(stored).size).toBe(stored.length);
});

test("a full storage while adding a photo: a clear message, nothing half-kept, the rest of the draft intact", async ({ page }) => {
  server = await PhieuServer.start();
  await page.goto(server.url + "/");
  const photo = await jpeg(page, 1200, 900);
  // The site's storage is full, as on a phone full of photos (Chromium
  // applies the quota to storage opened after it is set).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.url, quotaSize: 1 });
  await page.goto(formPage());
  await page.getByLabel("Mô tả").fill("giữ lại khi bộ nhớ đầy");
  await page.getByLabel("Thêm ảnh").setInputFiles({ name: "big.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.getByTestId("file-note")).toContainText("Bộ nhớ của máy đã đầy", { timeout: 15_000 });
  await expect(page.getByTestId("file-note")).toContainText("Các câu trả lời khác vẫn được giữ");
  await expect(page.locator(".thumbs li")).toHaveCount(0);
  await expect(page.getByLabel("Mô tả")).toHaveValue("giữ lại khi bộ nhớ đầy");
  const files = () =>
    page.evaluate(
      () =>
        new Promise<number>((ok) => {
          const r = indexedDB.open("phieu");
          r.onsuccess = () => {
            const c = r.result.transaction("files").objectStore("files").count();
            c.onsuccess = () => ok(c.result);
          };
        }),
    );
  expect(await files()).toBe(0);
  // Room again: the same photo is kept, and the draft with it.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.url });
  await page.getByLabel("Thêm ảnh").setInputFiles({ name: "big.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.locator(".thumbs li")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId("file-note")).toHaveText("");
  expect(await files()).toBe(1);
  await page.goto(server.url + "/");
  await expect(page.getByText("giữ lại khi bộ nhớ đầy")).toBeVisible();
});

test("Background Sync: a report with a photo queued offline is sent by the service worker after the app is closed", async ({ page, context }) => {
  test.setTimeout(90_000);
  server = await PhieuServer.start();
  await page.goto(formPage());
  await page.evaluate(() => navigator.serviceWorker.ready);
  const photo = await jpeg(page, 800, 600);
  await server.stop();
  await context.setOffline(true);
  await page.getByLabel("Mô tả").fill("gửi khi đã đóng ứng dụng");
  await page.getByLabel("Thêm ảnh").setInputFiles({ name: "ngo.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.locator(".thumbs li")).toHaveCount(1, { timeout: 15_000 });
  await submitForm(page);
  await expect(page.getByText("Đã lưu phiếu trên máy.")).toBeVisible();
  await expect(pending(page)).toHaveText("1");
  // The app asked for a sync and said where to send.
  await expect.poll(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).sync.getTags()).join())).toBe("phieu-outbox");

  // The app is closed; the connection and the server come back.
  const other = await context.newPage();
  await page.close();
  await server.launch();
  await context.setOffline(false);
  // What the browser does when the connection returns, fired at once.
  const cdp = await context.newCDPSession(other);
  const registrations: any[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
  await cdp.send("ServiceWorker.enable");
  await expect.poll(() => registrations.length).toBeGreaterThan(0);
  const { registrationId } = registrations.find((r) => r.scopeURL.startsWith(server.url));
  await cdp.send("ServiceWorker.dispatchSyncEvent", { origin: server.url, registrationId, tag: "phieu-outbox", lastChance: false });
  await expect.poll(() => server.submissions().then((s) => s.length), { timeout: 20_000 }).toBe(1);

  const [sub] = await server.submissions();
  expect(sub.answers.what).toBe("gửi khi đã đóng ứng dụng");
  const held = await serverFile(sub.answers.photos[0].sha256);
  expect(sha256(held.bytes)).toBe(sub.answers.photos[0].sha256);
  // Opened again, the app shows it sent and sends nothing twice.
  const posts: string[] = [];
  other.on("request", (r) => r.method() !== "GET" && posts.push(r.url()));
  await other.goto(server.url + "/?screen=outbox");
  await expect(pending(other)).toHaveText("0");
  await expect(other.locator("[data-testid=entry]")).toHaveAttribute("data-state", "sent");
  await other.waitForTimeout(1000);
  expect(posts.filter((u) => u.includes("/api/submissions") || u.includes("/api/files"))).toEqual([]);
  expect(await server.submissions()).toHaveLength(1);
});

test("an export carries the photos: imported on another phone, the report and its photo arrive", async ({ page, context, browser }) => {
  test.setTimeout(90_000);
  server = await PhieuServer.start();
  await page.goto(formPage());
  await page.evaluate(() => navigator.serviceWorker.ready);
  const photo = await jpeg(page, 640, 480);
  await context.setOffline(true);
  await page.getByLabel("Mô tả").fill("xuất ra tệp kèm ảnh");
  await page.getByLabel("Thêm ảnh").setInputFiles({ name: "anh.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.locator(".thumbs li")).toHaveCount(1, { timeout: 15_000 });
  await submitForm(page);
  await page.goto(server.url + "/?screen=outbox");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".toolbar").getByRole("button", { name: "Xuất JSON" }).click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, "utf8"));
  const item = exported.entries[0].submission.answers.photos[0];
  expect(exported.files[item.sha256]).toMatch(/^data:image\/jpeg;base64,/);

  // Another phone: a fresh browser profile, online.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await phone.goto(server.url + "/?screen=outbox");
  await phone.getByTestId("import").setInputFiles({ name: "phieu-outbox.json", mimeType: "application/json", buffer: readFileSync((await download.path())!) });
  await expect(phone.getByRole("status").filter({ hasText: "Đã nhập" })).toContainText("1");
  await expect(pending(phone)).toHaveText("0", { timeout: 20_000 });
  const [sub] = await server.submissions();
  expect(sub.answers.photos).toEqual([item]);
  expect(sha256((await serverFile(item.sha256)).bytes)).toBe(item.sha256);
  await other.close();
});
