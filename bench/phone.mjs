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
