// What the benchmarks share: Debian's Chromium and its flags, the phone it
// plays, the slow link and CPU, and where each engine's first question is.
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "vi-VN" };
export const SLOW = { kbps: 400, rttMs: 400 }; // the phone's link, played by the server (see serve.mjs)
export const CPU = 4; // Emulation.setCPUThrottlingRate
/** A question that accepts input, by engine. */
export const INPUT = {
  phieu: ".question input, .question select, .question textarea",
  SurveyJS: ".sd-question input, .sd-question textarea, .sd-question select",
};

/** A copy of `dist/` in `into` (a rebuild can replace `dist/` while a
 * benchmark runs), taken once every file the page names is there: waits,
 * up to `tries` times 15 s, while a build is half-way. */
export async function copyDist(root, into, say, tries = 20) {
  const fs = await import("node:fs");
  const path = await import("node:path");
  for (let n = 1; ; n++) {
    fs.rmSync(into, { recursive: true, force: true });
    if (fs.existsSync(path.join(root, "dist/index.html"))) {
      fs.cpSync(path.join(root, "dist"), into, { recursive: true });
      const html = fs.readFileSync(path.join(into, "index.html"), "utf8");
      // Quoted or not: the release build minifies the page.
      const wanted = [...html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"]?\/?([\w./-]+\.(?:js|wasm|css))(?=['"\s>])/g)].map((m) => m[1]);
      if (wanted.length >= 2 && wanted.every((f) => fs.existsSync(path.join(into, f)))) return;
    }
    if (n === tries) throw new Error("dist/ is missing or incomplete (a build in progress?); run scripts/build.sh");
    say("dist/ is missing or half-built, waiting for the build to finish");
    await new Promise((r) => setTimeout(r, 15000));
  }
}

/** Run in the page (`page.evaluate(instrumentKeys, selectors)`): for each key,
 * from the key event to the DOM mutation after which every watched element is
 * shown (or hidden, for Backspace), and to the next frame painted, pushed to
 * `window.__keys`. */
export function instrumentKeys(watched) {
  const shownNow = (sel) => { const el = document.querySelector(sel); return !!el && !el.closest("[hidden]"); };
  const painted = (sel) => { const el = document.querySelector(sel); return !!el && el.getClientRects().length > 0; };
  window.__keys = [];
  let pending = null;
  addEventListener("keydown", (e) => {
    const p = (pending = { t0: e.timeStamp, want: e.key !== "Backspace", dom: 0 });
    const frame = () => {
      if (watched.every((s) => painted(s) === p.want)) {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.__keys.push({ dom: (p.dom || performance.now()) - p.t0, paint: performance.now() - p.t0 });
        channel.port2.postMessage(0);
      } else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, true);
  new MutationObserver(() => {
    if (pending && !pending.dom && watched.every((s) => shownNow(s) === pending.want)) pending.dom = performance.now();
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
}
