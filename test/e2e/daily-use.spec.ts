import { type Browser, type Page, expect, test } from "@playwright/test";
import { seriousViolations } from "./axe";
import { recordPeerConnections } from "./media-stats";
import { joinRoom, signIn } from "./session";

declare global {
  interface Window {
    /** Every track getUserMedia handed out on this page, in order (a counter the product does not know of). */
    __userMedia?: MediaStreamTrack[][];
  }
}

/** A signed-in page whose getUserMedia calls are counted from the first script on. */
async function countedPage(browser: Browser, username: string, path = "/"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await recordPeerConnections(page);
  await page.addInitScript(() => {
    window.__userMedia = [];
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const native = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await native(constraints);
      window.__userMedia?.push(stream.getTracks());
      return stream;
    };
  });
  await page.goto(path);
  await signIn(page, username);
  return page;
}

const userMediaCalls = (page: Page) => page.evaluate(() => window.__userMedia?.length ?? 0);
/** Tracks from getUserMedia still live (not stopped), optionally only those of the first `calls` calls. */
const liveTracks = (page: Page, calls?: number) =>
  page.evaluate((upTo) => (window.__userMedia ?? []).slice(0, upTo ?? undefined).flat().filter((track) => track.readyState === "live").length, calls ?? null);

/** Opens every navigation entry but the meeting room, and the entries' own pages, on the way. */
async function browseNavigation(page: Page): Promise<string[]> {
  const entries = await page.locator('nav.app-nav a[data-testid^="nav-"]').evaluateAll((links) => links.map((link) => link.getAttribute("data-testid") ?? ""));
  for (const entry of entries) {
    if (entry === "nav-meeting") continue;
    await page.getByTestId(entry).click();
    await expect(page.getByTestId(entry)).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("not-allowed")).toHaveCount(0);
  }
  return entries;
}

test("the camera and microphone are never opened outside the meeting room", async ({ browser }) => {
  for (const username of ["admin", "canbo"]) {
    const page = await countedPage(browser, username);
    await expect(page.getByTestId("home")).toBeVisible();
    const entries = await browseNavigation(page);
    expect(entries.length).toBeGreaterThan(2);
    // Pages opened by direct address too (a case list, the password page).
    await page.goto("/#/password");
    await expect(page.getByTestId("user-box")).toBeVisible();
    expect(await userMediaCalls(page), `${username}: getUserMedia outside the room`).toBe(0);
    await page.context().close();
  }
});

test("the room's pre-join screen takes the devices; leaving the room page or the meeting releases them", async ({ browser }) => {
  const page = await countedPage(browser, "diemcau-kinhbac");
  await expect(page.getByTestId("home")).toBeVisible();
  expect(await userMediaCalls(page)).toBe(0);

  // Into the room page and back home without joining: the preview's tracks stop.
  await page.getByTestId("nav-meeting").click();
  await expect(page.getByTestId("join-button")).toBeEnabled();
  expect(await userMediaCalls(page)).toBeGreaterThan(0);
  expect(await liveTracks(page)).toBeGreaterThan(0);
  await page.getByTestId("nav-home").click();
  await expect(page.getByTestId("home")).toBeVisible();
  await expect.poll(() => liveTracks(page)).toBe(0);

  // Join, then leave the meeting: every track is stopped and the site is back home.
  await joinRoom(page, "giao-ban-thiet-bi");
  expect(await liveTracks(page)).toBeGreaterThan(0);
  const callsInRoom = await userMediaCalls(page);
  await page.getByTestId("leave-button").click();
  await expect(page.getByTestId("home")).toBeVisible();
  await expect.poll(() => liveTracks(page)).toBe(0);
  expect(await userMediaCalls(page)).toBe(callsInRoom);
  await page.context().close();
});

test("ending a meeting asks first: Esc and Hủy keep it running, only the red button ends it; leaving is a different button", async ({ browser }) => {
  const room = "giao-ban-xac-nhan";
  const chair = await countedPage(browser, "lanhdao", `/?room=${room}`);
  await chair.getByTestId("join-button").click();
  await expect(chair.getByTestId("local-tile")).toBeVisible();
  const site = await countedPage(browser, "diemcau-kinhbac", `/?room=${room}`);
  await site.getByTestId("join-button").click();
  await expect(site.getByTestId("local-tile")).toBeVisible();

  // "Rời phòng" and "Kết thúc cuộc họp" do not look alike.
  const look = (testId: string) =>
    chair.getByTestId(testId).evaluate((button) => {
      const style = getComputedStyle(button);
      return `${style.backgroundColor}|${style.color}`;
    });
  expect(await look("leave-button")).not.toBe(await look("end-meeting"));
  await chair.screenshot({ path: test.info().outputPath("room-chair-controls.png") });

  // Full screen (a projector) and back, from the control bar.
  await chair.getByTestId("fullscreen").click();
  await expect(chair.getByTestId("fullscreen")).toHaveAttribute("aria-pressed", "true");
  expect(await chair.evaluate(() => document.fullscreenElement !== null)).toBe(true);
  await chair.getByTestId("fullscreen").click();
  await expect(chair.getByTestId("fullscreen")).toHaveAttribute("aria-pressed", "false");

  // Cancel, then Esc: nothing happens to the meeting.
  await chair.getByTestId("end-meeting").click();
  const dialog = chair.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Kết thúc cuộc họp?");
  await chair.screenshot({ path: test.info().outputPath("confirm-end-meeting.png") });
  await expect(chair.getByTestId("confirm-cancel")).toBeFocused();
  // Focus stays in the dialog: Tab moves between its two buttons only.
  await chair.keyboard.press("Tab");
  await expect(chair.getByTestId("confirm-ok")).toBeFocused();
  await chair.keyboard.press("Tab");
  await expect(chair.getByTestId("confirm-cancel")).toBeFocused();
  await chair.keyboard.press("Shift+Tab");
  await expect(chair.getByTestId("confirm-ok")).toBeFocused();
  await chair.getByTestId("confirm-cancel").click();
  await expect(dialog).toHaveCount(0);
  await chair.getByTestId("end-meeting").click();
  await expect(chair.getByRole("alertdialog")).toBeVisible();
  await chair.keyboard.press("Escape");
  await expect(chair.getByRole("alertdialog")).toHaveCount(0);
  await expect(site.getByTestId("local-tile")).toBeVisible();
  await expect(site.locator('[data-testid="remote-tile"]')).toHaveCount(1);
  await expect(site.getByTestId("meeting-notice")).toHaveCount(0);

  // Confirmed: the site is told the meeting ended.
  await chair.getByTestId("end-meeting").click();
  await chair.getByTestId("confirm-ok").click();
  await expect(site.getByTestId("meeting-notice")).toContainText("kết thúc");

  // Its record (Lịch sử họp): the sites and their attendance, checked by axe-core like every page.
  await chair.goto("/#/meetings");
  await chair.locator('[data-testid="meeting-row"] a').first().click();
  await expect(chair.locator("main")).toContainText("UBND phường Kinh Bắc");
  await chair.screenshot({ path: test.info().outputPath("meeting-record.png"), fullPage: true });
  const findings = await seriousViolations(chair, "meeting-record");
  expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  for (const page of [chair, site]) await page.context().close();
});

/** Per role: its home, its navigation (every entry opens), and a forbidden address answered with the "not allowed" page. */
const roleTours: { username: string; home: string; sections: string[]; nav: string[]; forbidden: string }[] = [
  { username: "diemcau-kinhbac", home: "site", sections: ["upcoming"], nav: ["home", "meeting"], forbidden: "/#/cases" },
  { username: "canbo", home: "officer", sections: ["work-queue", "upcoming"], nav: ["home", "meeting", "meetings", "tasks", "cases", "reception", "stats"], forbidden: "/#/admin/users" },
  { username: "thanhtra", home: "officer", sections: ["work-queue", "upcoming"], nav: ["home", "meeting", "meetings", "tasks", "cases", "stats"], forbidden: "/#/reception/book" },
  { username: "lanhdao", home: "leader", sections: ["upcoming", "due-cases", "reception-week"], nav: ["home", "meeting", "meetings", "tasks", "cases", "reception", "stats", "integrity"], forbidden: "/#/admin/units" },
  // A viewer (watch and listen only) has a site's day: the meetings to enter.
  { username: "xem", home: "site", sections: ["upcoming"], nav: ["home", "meeting"], forbidden: "/#/cases" },
  { username: "admin", home: "admin", sections: ["admin-summary"], nav: ["home", "meeting", "meetings", "tasks", "reception", "integrity", "units", "users", "holidays", "certificates", "mail"], forbidden: "/#/cases/new" },
];

for (const tour of roleTours) {
  test(`${tour.username} lands on the ${tour.home} home, reaches its pages through the navigation, and gets the not-allowed page elsewhere`, async ({ browser }) => {
    const page = await countedPage(browser, tour.username);
    await expect(page.getByTestId("home")).toHaveAttribute("data-home", tour.home);
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    // The first screen holds the role's day: its sections, in this order, and nothing else.
    expect(await page.locator('[data-testid="home"] section.card').evaluateAll((sections) => sections.map((section) => section.getAttribute("data-testid")))).toEqual(tour.sections);
    await page.screenshot({ path: test.info().outputPath(`home-${tour.home}-${tour.username}.png`) });
    const entries = await browseNavigation(page);
    expect(entries, tour.username).toEqual(tour.nav.map((entry) => `nav-${entry}`));

    // A forbidden address, typed or followed from an old link: said so, with the way home.
    await page.goto(tour.forbidden);
    await expect(page.getByTestId("not-allowed")).toContainText("không có quyền");
    await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
    await page.getByTestId("go-home").click();
    await expect(page.getByTestId("home")).toBeVisible();
    // An address that is no page at all: the same.
    await page.goto("/#/khong-co-trang-nay");
    await expect(page.getByTestId("not-allowed")).toBeVisible();
    expect(await userMediaCalls(page), `${tour.username}: getUserMedia outside the room`).toBe(0);
    await page.context().close();
  });
}

test("an English (en-US) browser still shows and reads dates as dd/mm/yyyy and times in 24 hours", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York" });
  const page = await context.newPage();
  await page.goto("/#/cases/new");
  await signIn(page, "canbo");
  const received = page.getByTestId("case-received-date");
  await expect(received).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
  // Its value is today's date in Vietnam, written day first.
  const [year, month, day] = (await received.getAttribute("data-value"))!.split("-");
  await expect(received).toHaveValue(`${day}/${month}/${year}`);

  // "12/06/2026" is 12 June, as a Vietnamese reader means it; a date that does not exist is refused.
  await received.fill("12/06/2026");
  await expect(received).toHaveAttribute("data-value", "2026-06-12");
  await received.fill("31/02/2026");
  await expect(received).toHaveAttribute("aria-invalid", "true");
  expect(await received.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);
  await received.fill("6/12/2026");
  await received.blur();
  await expect(received).toHaveValue("06/12/2026");
  await expect(received).toHaveAttribute("data-value", "2026-12-06");
  await page.screenshot({ path: test.info().outputPath("case-new-en-us.png") });
  await context.close();

  // The leader's schedule form: dd/mm/yyyy and 24-hour times.
  const leaderContext = await browser.newContext({ locale: "en-US" });
  const leader = await leaderContext.newPage();
  await leader.goto("/");
  await signIn(leader, "lanhdao");
  await leader.getByTestId("schedule-open").click();
  await expect(leader.getByTestId("schedule-date")).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
  await leader.getByTestId("schedule-end").fill("14:30");
  await expect(leader.getByTestId("schedule-end")).toHaveAttribute("data-value", "14:30");
  await leader.getByTestId("schedule-start").fill("2:30 PM");
  await expect(leader.getByTestId("schedule-start")).toHaveAttribute("aria-invalid", "true");
  await leaderContext.close();

  // A reception book entry (officer): when the citizen was received, as a date field and a 24-hour time field.
  const officerContext = await browser.newContext({ locale: "en-US" });
  const officer = await officerContext.newPage();
  await officer.goto("/#/reception/book/new");
  await signIn(officer, "canbo");
  await expect(officer.locator('input[type="date"], input[type="time"], input[type="datetime-local"]')).toHaveCount(0);
  await expect(officer.getByTestId("entry-date")).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
  await expect(officer.getByTestId("entry-time")).toHaveValue(/^([01]\d|2[0-3]):[0-5]\d$/);
  await expect(officer.getByTestId("entry-date")).toHaveAccessibleName(/^Ngày/);
  await expect(officer.getByTestId("entry-time")).toHaveAccessibleName(/^Giờ/);
  await officer.getByTestId("entry-time").fill("2:30 PM");
  await expect(officer.getByTestId("entry-time")).toHaveAttribute("aria-invalid", "true");
  await officerContext.close();
});

test("an English (en-US) browser shows the app's own file picker in the app's language, usable from the keyboard", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/#/admin/certificates");
  await signIn(page, "admin");
  const input = page.getByTestId("certificate-file");
  // Not the browser's "Choose File / No file chosen" (the OS language), but the page's words.
  await expect(page.getByTestId("certificate-file-button")).toHaveText("Chọn tệp…");
  await expect(page.getByTestId("certificate-file-names")).toHaveText("Chưa chọn tệp");
  await expect(input).toHaveAccessibleName(/Tệp chứng thư số.*Chọn tệp/);
  const button = (await page.getByTestId("certificate-file-button").boundingBox())!;
  expect(button.height, "a 44 px target").toBeGreaterThanOrEqual(44);
  // The real input takes the keyboard focus (Space or Enter opens the picker), and shows its ring on the button.
  await input.focus();
  await expect(input).toBeFocused();
  await input.setInputFiles({ name: "chung-thu-so.p12", mimeType: "application/x-pkcs12", buffer: Buffer.from("not a real certificate") });
  await expect(page.getByTestId("certificate-file-names")).toHaveText("chung-thu-so.p12");
  await expect(page.getByTestId("certificate-upload")).toBeEnabled();
  // In English the same field speaks English.
  await page.getByTestId("lang-en").click();
  await expect(page.getByTestId("certificate-file-button")).toHaveText("Choose a file…");
  await page.screenshot({ path: test.info().outputPath("file-picker-en-us.png") });
  await context.close();
});

/** Do two boxes overlap (by more than a pixel of rounding)? */
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
  a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;

for (const viewport of [{ width: 1366, height: 768 }, { width: 1280, height: 720 }]) {
  test(`at ${viewport.width}×${viewport.height} a site sees the control bar cover no tile and not the chat input`, async ({ browser }) => {
    const room = `giao-ban-khung-${viewport.width}`;
    const chair = await countedPage(browser, "lanhdao", `/?room=${room}`);
    await chair.getByTestId("join-button").click();
    await expect(chair.getByTestId("local-tile")).toBeVisible();
    const site = await countedPage(browser, "diemcau-kinhbac", `/?room=${room}`);
    await site.setViewportSize(viewport);
    await site.getByTestId("join-button").click();
    await expect(site.locator('[data-testid="remote-tile"]')).toHaveCount(1);
    // The chair's tile first and largest (the featured place).
    await expect(site.getByTestId("remote-tile").first()).toHaveAttribute("data-featured", "true");
    await expect(site.getByTestId("remote-tile").first()).toHaveAttribute("data-chair", "true");
    // The chat is a side panel: opened, its input must be clear of the control bar too.
    await site.getByTestId("toggle-chat").click();
    const bar = (await site.locator("nav.controls").boundingBox())!;
    const chatInput = site.getByTestId("chat-input");
    await chatInput.scrollIntoViewIfNeeded();
    const covered: string[] = [];
    for (const [name, locator] of [
      ["remote-tile", site.getByTestId("remote-tile").first()],
      ["local-tile", site.getByTestId("local-tile")],
      ["chat-input", chatInput],
    ] as const) {
      await locator.scrollIntoViewIfNeeded();
      const box = await locator.boundingBox();
      const barNow = (await site.locator("nav.controls").boundingBox()) ?? bar;
      if (box && overlaps(box, barNow)) covered.push(name);
    }
    await site.screenshot({ path: test.info().outputPath(`site-${viewport.width}x${viewport.height}.png`) });
    expect(covered).toEqual([]);
    for (const page of [chair, site]) await page.context().close();
  });
}
