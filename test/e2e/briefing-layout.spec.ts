import { type Locator, type Page, expect, test } from "@playwright/test";
import { seriousViolations } from "./axe";
import { inboundMedia } from "./media-stats";
import { joinRoom, signedInPage } from "./session";

/**
 * The briefing room as a commune site sees it on a 1366×768 office PC (issue 18 item 3): the chair first
 * and largest, the site's own camera small, title and running time on top, participants and chat as side
 * panels with an unread count; the chair acts from the participant list. Real media throughout.
 */

const CHAIR = "Chủ tịch UBND tỉnh";
const KINH_BAC = "UBND phường Kinh Bắc";
const MY_THAI = "UBND xã Mỹ Thái";

type Box = { x: number; y: number; width: number; height: number };
const area = (box: Box) => box.width * box.height;

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  expect(box, "element on screen").not.toBeNull();
  return box!;
}

function remoteTile(page: Page, displayName: string): Locator {
  return page.locator(`[data-testid="remote-tile"][data-display-name="${displayName}"]`);
}

/** Frames presented by one <video> element keep growing: that tile's picture is live, not frozen. */
async function expectVideoPlaying(video: Locator, what: string): Promise<void> {
  const shown = () => video.evaluate((element) => (element as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
  await expect.poll(shown, { message: `${what}: first frame` }).toBeGreaterThan(0);
  const before = await shown();
  await expect.poll(shown, { message: `${what}: frames keep coming` }).toBeGreaterThan(before);
}

test("a site sees the chair first and largest, itself small, the title and timer, and a chat badge that counts and clears", async ({ browser }) => {
  // Three pages with live media on a shared 2-core machine: joining alone can take a minute.
  test.setTimeout(240_000);
  // A room of its own each run: the chat is kept with the meeting, and a second run must not find the first's.
  const room = `giao-ban-bo-cuc-${Date.now().toString(36)}`;
  // Mỹ Thái comes first, then Kinh Bắc, then the chair: join order must not put the chair after them.
  const myThai = await signedInPage(browser, "diemcau-mythai", undefined, `/?room=${room}`);
  await joinRoom(myThai, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);

  const chairTile = remoteTile(site, CHAIR);
  await expect(chairTile).toHaveAttribute("data-featured", "true");
  await expect(site.getByTestId("remote-tile")).toHaveCount(2);
  // First in the page's order, and the decoded picture is live.
  await expect(site.getByTestId("remote-tile").first()).toHaveAttribute("data-display-name", CHAIR);
  await expectVideoPlaying(chairTile.locator("video"), "the chair's tile on the site");
  const frames = (await inboundMedia(site)).framesDecoded;
  await expect.poll(async () => (await inboundMedia(site)).framesDecoded, { message: "the site keeps decoding" }).toBeGreaterThan(frames);

  // Largest and top-left: bigger than the other site's tile and the own camera, which sits small to its right.
  const chairBox = await boxOf(chairTile);
  const otherBox = await boxOf(remoteTile(site, MY_THAI));
  const selfBox = await boxOf(site.getByTestId("local-tile"));
  expect(area(chairBox), "the chair's tile against the other site's").toBeGreaterThan(4 * area(otherBox));
  expect(area(chairBox), "the chair's tile against the own camera").toBeGreaterThan(4 * area(selfBox));
  expect(selfBox.width, "own camera width").toBeLessThanOrEqual(260);
  expect(selfBox.x, "own camera to the right of the chair").toBeGreaterThanOrEqual(chairBox.x + chairBox.width);
  expect(chairBox.y, "nothing above the chair's tile but the top bar").toBeLessThan(260);
  // Nothing under the control bar.
  const bar = await boxOf(site.locator("nav.controls"));
  for (const box of [chairBox, otherBox, selfBox]) expect(box.y + box.height, "a tile ends above the control bar").toBeLessThanOrEqual(bar.y + 1);

  // The top bar: the room's title (an unscheduled room is called by its id) and the running time, ticking.
  await expect(site.getByTestId("room-title")).toHaveText(room);
  const timer = site.getByTestId("room-timer");
  await expect(timer).toHaveText(/^⏱ \d{2}:\d{2}$/);
  const first = await timer.textContent();
  await expect.poll(() => timer.textContent(), { message: "the timer ticks" }).not.toBe(first);
  await site.screenshot({ path: test.info().outputPath("site-room-1366x768.png") });

  // Chat closed: a message from the chair shows as one unread, and opening the panel clears it.
  await expect(site.getByTestId("chat-input")).toBeHidden();
  await expect(site.getByTestId("chat-unread")).toHaveCount(0);
  await chair.getByTestId("toggle-chat").click();
  await chair.getByTestId("chat-input").fill("Đề nghị các điểm cầu báo cáo tình hình.");
  await chair.getByTestId("chat-send").click();
  await expect(site.getByTestId("chat-unread")).toHaveText("1");
  await expect(chair.getByTestId("chat-unread")).toHaveCount(0);
  await site.getByTestId("toggle-chat").click();
  await expect(site.getByTestId("toggle-chat")).toHaveAttribute("aria-expanded", "true");
  await expect(site.getByTestId("chat-unread")).toHaveCount(0);
  await expect(site.getByTestId("chat-message")).toContainText("Đề nghị các điểm cầu báo cáo tình hình.");
  // Opened beside the stage, the chat's input is above the control bar and the chair still comes first.
  const input = await boxOf(site.getByTestId("chat-input"));
  expect(input.y + input.height).toBeLessThanOrEqual((await boxOf(site.locator("nav.controls"))).y + 1);
  await expect(chairTile).toHaveAttribute("data-featured", "true");
  await site.getByTestId("chat-input").fill("Phường Kinh Bắc đã sẵn sàng.");
  await site.getByTestId("chat-send").click();
  await expect(chair.getByTestId("chat-message").last()).toContainText("Phường Kinh Bắc đã sẵn sàng.");
  // Read messages stay read once the panel is closed again; the site's own never count.
  await site.getByTestId("toggle-chat").click();
  await expect(site.getByTestId("chat-unread")).toHaveCount(0);

  // The site's participant list: everyone, the chair marked, microphones and cameras.
  await site.getByTestId("toggle-participants").click();
  const list = site.getByTestId("participants");
  await expect(list.getByTestId("participant")).toHaveCount(3);
  await expect(list.getByTestId("participant").filter({ hasText: CHAIR })).toContainText("Chủ trì");
  await expect(list.locator('[data-testid="participant"][data-self="true"]')).toHaveAttribute("data-mic", "on");
  await expect(list.getByTestId("list-mute")).toHaveCount(0);
  // Each site's link as the server measures what it sends: on this loopback, good.
  await expect(list.getByTestId("participant").filter({ hasText: CHAIR }).getByTestId("link-quality")).toHaveAttribute("data-link", "good", { timeout: 30_000 });
  await expect(list.getByTestId("participant").filter({ hasText: CHAIR }).getByTestId("link-quality")).toHaveText(/Mạng tốt/);
  const findings = await seriousViolations(site, "room-site");
  expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);

  // The chair runs the meeting from the list (open for the chair from the start): a raised hand shows
  // there, and the floor given from it puts that site first and largest for the other sites.
  await site.getByTestId("raise-hand").click();
  const siteRow = chair.locator(`[data-testid="participant"]`).filter({ hasText: KINH_BAC });
  await expect(siteRow).toHaveAttribute("data-hand", "true");
  await expect(siteRow.getByTestId("link-quality")).toHaveAttribute("data-link", "good", { timeout: 30_000 });
  await expect(chair.getByTestId("hands-badge")).toHaveText(/1/);
  await chair.screenshot({ path: test.info().outputPath("chair-room-1366x768.png") });
  await siteRow.getByTestId("list-floor").click();
  await expect(remoteTile(chair, KINH_BAC)).toHaveAttribute("data-floor", "true");
  await expect(remoteTile(myThai, KINH_BAC)).toHaveAttribute("data-featured", "true");
  await expect(myThai.getByTestId("remote-tile").first()).toHaveAttribute("data-display-name", KINH_BAC);
  await expectVideoPlaying(remoteTile(myThai, KINH_BAC).locator("video"), "the site with the floor, large on another site");
  await myThai.screenshot({ path: test.info().outputPath("other-site-floor-1366x768.png") });
  // Taken back: the chair is first again.
  await siteRow.getByTestId("list-floor").click();
  await expect(remoteTile(myThai, CHAIR)).toHaveAttribute("data-featured", "true");
  const chairFindings = await seriousViolations(chair, "room-chair");
  expect(chairFindings, JSON.stringify(chairFindings, null, 2)).toEqual([]);
  for (const page of [chair, site, myThai]) await page.context().close();
});

test("a scheduled briefing shows its title, and the chair's list names the invited units that are absent", async ({ browser }) => {
  const room = `giao-ban-tieu-de-${Date.now().toString(36)}`;
  const title = "Giao ban trực tuyến công tác tháng 12";
  const chair = await signedInPage(browser, "lanhdao");
  await chair.getByTestId("schedule-open").click();
  await chair.getByTestId("schedule-title").fill(title);
  await chair.getByTestId("schedule-room").fill(room);
  await chair.getByTestId("schedule-form").getByLabel(KINH_BAC).check();
  await chair.getByTestId("schedule-form").getByLabel(MY_THAI).check();
  await chair.getByTestId("schedule-submit").click();
  await expect(chair.locator(`[data-testid="upcoming-meeting"][data-room="${room}"]`)).toBeVisible();
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac");
  await site.locator(`[data-testid="upcoming-meeting"][data-room="${room}"]`).getByTestId("enter-meeting").click();
  await site.getByTestId("join-button").click();
  await expect(site.getByTestId("local-tile")).toBeVisible();

  for (const page of [chair, site]) await expect(page.getByTestId("room-title")).toHaveText(title);
  await expect(chair.getByTestId("attendance")).toContainText("Được mời: 2 đơn vị");
  await expect(chair.getByTestId("attendance")).toHaveAttribute("data-present", "2");
  // Mỹ Thái was invited and nobody of it is in: the chair sees it named as absent; Kinh Bắc is not.
  await expect(chair.getByTestId("units-present")).toHaveText("Đơn vị được mời có mặt: 1/2");
  await expect(chair.getByTestId("absent-unit")).toHaveCount(1);
  await expect(chair.getByTestId("absent-unit")).toContainText(MY_THAI);
  await expect(chair.getByTestId("absent-unit")).toContainText("Vắng");
  await chair.getByTestId("absent-units").scrollIntoViewIfNeeded();
  await chair.screenshot({ path: test.info().outputPath("chair-absent-units-1366x768.png") });
  // A site is not told who else was invited.
  await site.getByTestId("toggle-participants").click();
  await expect(site.getByTestId("participant")).toHaveCount(2);
  await expect(site.getByTestId("absent-unit")).toHaveCount(0);
  await expect(site.getByTestId("units-present")).toHaveCount(0);
  // Mỹ Thái comes: nobody is absent any more.
  const myThai = await signedInPage(browser, "diemcau-mythai");
  await myThai.locator(`[data-testid="upcoming-meeting"][data-room="${room}"]`).getByTestId("enter-meeting").click();
  await myThai.getByTestId("join-button").click();
  await expect(chair.getByTestId("units-present")).toHaveText("Đơn vị được mời có mặt: 2/2");
  await expect(chair.getByTestId("absent-unit")).toHaveCount(0);
  for (const page of [chair, site, myThai]) await page.context().close();
});
