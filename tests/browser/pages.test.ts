import { describe, it } from "vitest";
import { expectFitsPhone, phoneScreen } from "./chromium";
import { asServed, EVERY_PAGE } from "./every-page";

// No JavaScript: every partner page works without it.
const phone = phoneScreen({ javaScriptEnabled: false });

describe("every partner page on a 390 px phone screen", () => {
  it.each(Object.entries(EVERY_PAGE))(
    "%s fits the screen: nothing scrolls sideways",
    async (_name, render) => {
      await expectFitsPhone(phone.page(), asServed(render()));
    },
  );
});
