import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

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
