import { describe, expect, it } from "vitest";
import { expectFitsPhone, phoneScreen } from "./chromium";
import { asReceived, EVERY_EMAIL } from "./every-email";

const phone = phoneScreen();

// The interest maps' cards are the inline blocks that head with the partner's name.
const CARD_HEADINGS = `[...document.querySelectorAll("h3")].filter((heading) => heading.parentElement.style.display === "inline-block")`;

describe("every email on a 390 px phone screen", () => {
  it.each(Object.entries(EVERY_EMAIL))(
    "%s fits the screen: nothing scrolls sideways",
    async (_name, render) => {
      await expectFitsPhone(phone.page(), asReceived(render()).html);
    },
  );

  it("stacks the interest maps as cards, one under the other, each as wide as the screen allows", async () => {
    const page = phone.page();
    await page.setContent(EVERY_EMAIL.welcome().html);
    const cards = (await page.evaluate(`${CARD_HEADINGS}.map((heading) => {
      const box = heading.parentElement.getBoundingClientRect();
      return { name: heading.textContent, left: Math.round(box.left), top: Math.round(box.top), width: Math.round(box.width) };
    })`)) as { name: string; left: number; top: number; width: number }[];
    expect(cards).toHaveLength(6);
    for (const [index, card] of cards.entries()) {
      expect(card.left).toBe(cards[0]?.left);
      if (index > 0) expect(card.top).toBeGreaterThan(cards[index - 1]?.top ?? 0);
      expect(card.width).toBeGreaterThan(250);
    }
  });

  it("puts two interest-map cards side by side on a desktop screen", async () => {
    const desktop = await phone.browser().newPage({ viewport: { width: 1280, height: 900 } });
    await desktop.setContent(EVERY_EMAIL.welcome().html);
    const tops = (await desktop.evaluate(
      `${CARD_HEADINGS}.slice(0, 2).map((heading) => Math.round(heading.getBoundingClientRect().top))`,
    )) as number[];
    await desktop.close();
    expect(tops).toHaveLength(2);
    expect(tops[0]).toBe(tops[1]);
  });
});
