import { type APIRequestContext, type Locator, type Page, expect, test } from "@playwright/test";
import { DEMO_PASSWORD, joinRoom, signedInPage } from "./session";

/** Live room state through the staff API (the chair's token). */
async function roomState(request: APIRequestContext, roomId: string) {
  const login = (await (await request.post("/api/auth/login", { data: { username: "lanhdao", password: DEMO_PASSWORD } })).json()) as { accessToken: string };
  const response = await request.get(`/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${login.accessToken}` } });
  return (await response.json()) as { peers: { id: string; displayName: string; producers: { kind: string; source: string; paused: boolean; layers: number }[] }[] };
}

/** Frames the browser decoded and presented in one <video> element (not the page as a whole). */
function framesShown(video: Locator): Promise<number> {
  return video.evaluate((element) => (element as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
}

async function expectFramesGrowing(video: Locator, what: string): Promise<void> {
  await expect.poll(() => framesShown(video), { message: `${what}: first frame` }).toBeGreaterThan(0);
  const before = await framesShown(video);
  await video.page().waitForTimeout(1_500);
  expect(await framesShown(video), `${what}: frames over 1.5 s`).toBeGreaterThan(before);
}

function tileOf(page: Page, displayName: string): Locator {
  return page.locator(`[data-testid="remote-tile"][data-display-name="${displayName}"]`);
}

test("cameras send three simulcast layers, the chair shares a screen, a site with the floor presents, audio-only stops video", async ({ browser, request }) => {
  const room = "giao-ban-trinh-chieu";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  const chairOnSite = tileOf(site, "Chủ tịch UBND tỉnh");
  const siteOnChair = tileOf(chair, "UBND phường Kinh Bắc");
  await expectFramesGrowing(chairOnSite.locator("video"), "chair's camera on the site");
  // Both fake microphones beep: the server's active speaker detection names one of them on each page.
  for (const page of [chair, site]) await expect(page.locator('[data-speaking="true"]').first()).toBeVisible();

  // Simulcast: the camera producer on the server carries three encodings, and a grid tile asks for a
  // smaller layer than the largest.
  await expect.poll(async () => (await roomState(request, room)).peers.flatMap((peer) => peer.producers).filter((p) => p.source === "webcam").map((p) => p.layers)).toEqual([3, 3]);
  await expect(chairOnSite).toHaveAttribute("data-video-layer", /^[0-2]$/);

  // Sites without the floor have no share button; the chair presents and the site decodes it.
  await expect(site.getByTestId("share-screen")).toHaveCount(0);
  await chair.getByTestId("share-screen").click();
  await expect(chair.getByTestId("share-screen")).toHaveAttribute("aria-pressed", "true");
  const presentation = site.getByTestId("presentation");
  await expect(presentation).toBeVisible();
  await expectFramesGrowing(presentation.locator("video"), "chair's screen on the site");
  await site.screenshot({ path: test.info().outputPath("presentation-on-site.png") });
  await chair.getByTestId("share-screen").click();
  await expect(presentation).toHaveCount(0);

  // The floor brings the right to present; taking the floor back stops the site's presentation.
  await site.getByTestId("raise-hand").click();
  await chair.getByTestId("queue-give-floor").click();
  await expect(site.getByTestId("share-screen")).toBeVisible();
  await site.getByTestId("share-screen").click();
  await expectFramesGrowing(chair.getByTestId("presentation").locator("video"), "site's screen on the chair");
  await siteOnChair.getByTestId("tile-menu").click();
  await siteOnChair.getByTestId("take-floor").click();
  await expect(chair.getByTestId("presentation")).toHaveCount(0);
  await expect(site.getByTestId("notice")).toContainText("chia sẻ màn hình");
  await expect.poll(async () => (await roomState(request, room)).peers.flatMap((peer) => peer.producers).filter((p) => p.source === "screen")).toEqual([]);

  // Weak link: audio only stops the site's camera on the server and its incoming video.
  await site.getByTestId("audio-only").click();
  await expect(site.getByTestId("audio-only-notice")).toBeVisible();
  await expect(chairOnSite).toHaveAttribute("data-video-paused", "true");
  await expect(siteOnChair).toHaveAttribute("data-video-paused", "true");
  await site.getByTestId("audio-only").click();
  await expect(chairOnSite).toHaveAttribute("data-video-paused", "false");
  await expectFramesGrowing(chairOnSite.locator("video"), "chair's camera after audio-only");
  for (const page of [chair, site]) await page.context().close();
});
