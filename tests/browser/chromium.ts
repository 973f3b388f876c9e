import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { setTimeSource } from "../../functions/shared/time";

/** Debian's Chromium (apt-get install chromium); `.ci/run` installs it. Never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CONCORD_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Starts headless Chromium. The flags keep it off the network it would otherwise call at every start (this kind of
 * machine refuses those connections), and root needs --no-sandbox.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: install Debian's (apt-get install chromium) or set CONCORD_CHROMIUM to its path`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What sticks out past the right edge of the viewport: the page's own scroll width and each element that does. */
export interface Overflow {
  viewport: number;
  scrollWidth: number;
  /** Elements whose right edge passes the viewport, as "tag: text…". */
  elements: string[];
}

/**
 * Measures horizontal overflow in the page (an element wider than the screen makes the reader scroll sideways). A
 * string, evaluated in the page: this project's TypeScript has no DOM types.
 */
export const MEASURE_OVERFLOW = `(() => {
  const viewport = document.documentElement.clientWidth;
  const elements = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > viewport + 0.5) {
      const text = (element.textContent || "").trim().slice(0, 60);
      elements.push(element.tagName.toLowerCase() + " (right edge " + Math.round(box.right) + " px): " + text);
    }
  }
  return { viewport, scrollWidth: document.documentElement.scrollWidth, elements };
})()`;

/** A phone: the width of an iPhone 12 to 15 screen in CSS pixels. */
export const PHONE = { width: 390, height: 844 };

/**
 * Registers the file's hooks: Chromium, one phone-sized page, and the samples' clock pinned (their deadlines are
 * worded relative to it). Returns getters, valid inside the tests.
 */
export function phoneScreen(options: { javaScriptEnabled?: boolean } = {}): {
  browser(): Browser;
  page(): Page;
} {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    setTimeSource(() => Date.parse("2026-12-02T09:00:00Z"));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: PHONE, ...options });
  });
  afterAll(async () => {
    setTimeSource(() => Date.now());
    await browser?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("Chromium is not started: use the getters inside a test");
    return value;
  };
  return { browser: () => ready(browser), page: () => ready(page) };
}

/** Asserts that `html`, shown on the phone page, makes nobody scroll sideways: no element past the screen's edge. */
export async function expectFitsPhone(page: Page, html: string): Promise<void> {
  await page.setContent(html);
  const overflow = (await page.evaluate(MEASURE_OVERFLOW)) as Overflow;
  expect(overflow.elements).toEqual([]);
  expect(overflow.scrollWidth).toBeLessThanOrEqual(PHONE.width);
}
