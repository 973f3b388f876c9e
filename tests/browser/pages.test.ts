import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTimeSource } from "../../functions/shared/time";
import { launchChromium, MEASURE_OVERFLOW, type Overflow } from "./chromium";
import { asServed, EVERY_PAGE } from "./every-page";

// A phone: the width of an iPhone 12 to 15 screen in CSS pixels.
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  setTimeSource(() => Date.parse("2026-12-02T09:00:00Z"));
  browser = await launchChromium();
  // No JavaScript: every partner page works without it.
  page = await browser.newPage({ viewport: PHONE, javaScriptEnabled: false });
});

afterAll(async () => {
  setTimeSource(() => Date.now());
  await browser?.close();
});

describe("every partner page on a 390 px phone screen", () => {
  it.each(Object.entries(EVERY_PAGE))(
    "%s fits the screen: nothing scrolls sideways",
    async (_name, render) => {
      await page.setContent(asServed(render()));
      const overflow = (await page.evaluate(MEASURE_OVERFLOW)) as Overflow;
      expect(overflow.elements).toEqual([]);
      expect(overflow.scrollWidth).toBeLessThanOrEqual(PHONE.width);
    },
  );
});
