import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import { dropSignaling, inboundMedia, recordPeerConnections } from "./media-stats";
import { DEMO_PASSWORD, joinRoom, openRoomPage, signIn, signedInPage } from "./session";

/** Room state is for signed-in staff: the API call carries a leader's token. */
async function roomState(request: APIRequestContext, roomId: string) {
  const login = (await (await request.post("/api/auth/login", { data: { username: "lanhdao", password: DEMO_PASSWORD } })).json()) as { accessToken: string };
  const response = await request.get(`/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${login.accessToken}` } });
  return (await response.json()) as { peers: { id: string; displayName: string; producers: { kind: string; source: string; paused: boolean }[] }[] };
}

const roomId = "giao-ban-demo";

/** Decoded frames and audio packets must keep growing: a frozen stream or silence fails. */
async function expectMediaFlowing(page: Page): Promise<void> {
  await expect.poll(async () => (await inboundMedia(page)).framesDecoded, { message: "first decoded frame" }).toBeGreaterThan(0);
  const before = await inboundMedia(page);
  await page.waitForTimeout(1_500);
  const after = await inboundMedia(page);
  expect(after.framesDecoded, "video frames decoded over 1.5 s").toBeGreaterThan(before.framesDecoded);
  expect(after.audioPackets, "audio packets received over 1.5 s").toBeGreaterThan(before.audioPackets);
}

test("two sites see and hear each other, mute the camera and leave", async ({ browser, request }) => {
  // The chair signs in as the province leader; the site as the ward's meeting-site account, which
  // joins under its unit's name.
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${roomId}`);
  await joinRoom(chair, roomId);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${roomId}`);
  await joinRoom(site, roomId);

  const chairTileOnSite = site.locator('[data-testid="remote-tile"][data-display-name="Chủ tịch UBND tỉnh"]');
  const siteTileOnChair = chair.locator('[data-testid="remote-tile"][data-display-name="UBND phường Kinh Bắc"]');
  await expect(chairTileOnSite).toBeVisible();
  await expect(siteTileOnChair).toBeVisible();

  await expectMediaFlowing(chair);
  await expectMediaFlowing(site);
  await chair.screenshot({ path: test.info().outputPath("chair-in-room.png") });

  // Camera off on the chair: the server pauses the producer and the site's tile says so.
  const chairPeerId = await chairTileOnSite.getAttribute("data-peer-id");
  expect(chairPeerId).toBeTruthy();
  await chair.getByTestId("toggle-camera").click();
  await expect(chair.getByTestId("toggle-camera")).toHaveAttribute("aria-pressed", "true");
  await expect(chairTileOnSite).toHaveAttribute("data-video-paused", "true");
  const room = await roomState(request, roomId);
  const chairOnServer = room.peers.find((peer) => peer.id === chairPeerId);
  expect(chairOnServer?.producers).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: "video", source: "webcam", paused: true }),
      expect.objectContaining({ kind: "audio", source: "mic", paused: false }),
    ]),
  );

  // Camera back on: frames flow again on the site.
  await chair.getByTestId("toggle-camera").click();
  await expect(chairTileOnSite).toHaveAttribute("data-video-paused", "false");
  await expectMediaFlowing(site);

  // Mic off is a server-side pause too.
  await chair.getByTestId("toggle-mic").click();
  await expect(chairTileOnSite).toHaveAttribute("data-audio-paused", "true");

  // The chair leaves: the site's tile for the chair disappears.
  await chair.getByTestId("leave-button").click();
  await expect(chairTileOnSite).toHaveCount(0);
  // Leaving goes home (the camera is released with the room page).
  await expect(chair.getByTestId("home")).toBeVisible();
  await site.screenshot({ path: test.info().outputPath("site-after-chair-left.png") });
  for (const page of [chair, site]) await page.context().close();
});

test("a site whose connection drops comes back as the same site, without a reload", async ({ browser }) => {
  const room = "giao-ban-ket-noi-lai";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  const siteTileOnChair = chair.locator('[data-testid="remote-tile"][data-display-name="UBND phường Kinh Bắc"]');
  await expect(siteTileOnChair).toBeVisible();
  const peerIdBefore = await siteTileOnChair.getAttribute("data-peer-id");
  await expectMediaFlowing(chair);

  expect(await dropSignaling(site)).toBeGreaterThan(0);
  await expect(site.getByTestId("room-status")).toHaveAttribute("data-status", "joined");
  // Same peer on the chair's side, and its media still decodes there; the site still receives the chair.
  await expect(siteTileOnChair).toHaveCount(1);
  expect(await siteTileOnChair.getAttribute("data-peer-id")).toBe(peerIdBefore);
  await expectMediaFlowing(chair);
  await expectMediaFlowing(site);
  // Controls work again through the resumed session: the server pauses the camera for the chair to see.
  await site.getByTestId("toggle-camera").click();
  await expect(siteTileOnChair).toHaveAttribute("data-video-paused", "true");
  for (const page of [chair, site]) await page.context().close();
});

/**
 * Loses the next client request of each named kind, over the WebSocket or the long-polling fallback, the way
 * a request dies on a link that flaps or a server too busy to answer: the client's ack times out.
 */
async function loseRequests(page: Page, names: Set<string>): Promise<void> {
  const lost = (packet: string) => {
    const name = /^42\d*\["([a-zA-Z]+)"/.exec(packet)?.[1];
    if (!name || !names.has(name)) return false;
    names.delete(name);
    return true;
  };
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message === "string" && lost(message)) return;
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await page.route(/\/socket\.io\/.*transport=polling/, async (route) => {
    const body = route.request().method() === "POST" ? (route.request().postData() ?? "") : "";
    if (body.split("\x1e").some(lost)) await route.fulfill({ status: 200, body: "ok" });
    else await route.continue();
  });
}

test("a site whose resume and first rejoin are lost keeps trying and comes back into the room", async ({ browser }) => {
  test.setTimeout(150_000);
  const room = "giao-ban-thu-lai";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const context = await browser.newContext();
  const site = await context.newPage();
  await recordPeerConnections(site);
  const lose = new Set<string>();
  await loseRequests(site, lose);
  await site.goto(`/?room=${room}`);
  await signIn(site, "diemcau-kinhbac");
  await joinRoom(site, room);
  await expectMediaFlowing(site);

  // The link flaps: the site's resume and its first fresh join both go unanswered (15 s each).
  lose.add("resume").add("join");
  expect(await dropSignaling(site)).toBeGreaterThan(0);
  await expect(site.getByTestId("room-status")).toHaveAttribute("data-status", "reconnecting");
  await expect.poll(() => lose.size, { timeout: 60_000, message: "the resume and the join were both sent (and lost)" }).toBe(0);
  // It tries again by itself: back in the room, media both ways, one tile each.
  await expect(site.getByTestId("room-status")).toHaveAttribute("data-status", "joined", { timeout: 60_000 });
  await expectMediaFlowing(site);
  await expectMediaFlowing(chair);
  await expect(chair.locator('[data-testid="remote-tile"][data-display-name="UBND phường Kinh Bắc"]')).toHaveCount(1);
  for (const page of [chair, site]) await page.context().close();
});

test("the chair mutes all sites, including one that joins later, and everyone chats", async ({ browser, request }) => {
  const room = "giao-ban-chu-tri";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  const siteTile = chair.locator('[data-testid="remote-tile"][data-display-name="UBND phường Kinh Bắc"]');
  await expect(siteTile).toHaveAttribute("data-audio-paused", "false");

  await chair.getByTestId("mute-all").click();
  await expect(siteTile).toHaveAttribute("data-audio-paused", "true");
  await expect(site.getByTestId("toggle-mic")).toBeDisabled();
  await expect(site.getByTestId("toggle-mic")).toHaveText("Chủ trì đã tắt micrô");

  // A site joining afterwards starts muted, on the server as well.
  const late = await signedInPage(browser, "canbo", undefined, `/?room=${room}`);
  await joinRoom(late, room);
  await expect(late.getByTestId("toggle-mic")).toBeDisabled();
  const lateTile = chair.locator('[data-testid="remote-tile"][data-display-name="Cán bộ tiếp công dân tỉnh"]');
  await expect(lateTile).toHaveAttribute("data-audio-paused", "true");
  // The tile says "muted" before any microphone exists too; wait for the server's producer itself.
  const lateMicPaused = async () => {
    const state = await roomState(request, room);
    const lateOnServer = state.peers.find((peer) => peer.displayName === "Cán bộ tiếp công dân tỉnh");
    return lateOnServer?.producers.find((producer) => producer.source === "mic")?.paused;
  };
  await expect.poll(lateMicPaused, { message: "late joiner's microphone producer, paused by mute-all" }).toBe(true);

  // Lifted: the site may speak again.
  await chair.getByTestId("mute-all").click();
  await expect(site.getByTestId("toggle-mic")).toBeEnabled();
  await site.getByTestId("toggle-mic").click();
  await expect(siteTile).toHaveAttribute("data-audio-paused", "false");

  // The chat is a side panel, opened from the top bar.
  await site.getByTestId("toggle-chat").click();
  await site.getByTestId("chat-input").fill("Phường Kinh Bắc xin phát biểu ý kiến.");
  await site.getByTestId("chat-send").click();
  await expect(chair.getByTestId("chat-message")).toContainText("Phường Kinh Bắc xin phát biểu ý kiến.");
  await expect(late.getByTestId("chat-message")).toContainText("UBND phường Kinh Bắc");
  await chair.screenshot({ path: test.info().outputPath("chair-controls.png"), fullPage: true });
  for (const page of [chair, site, late]) await page.context().close();
});

test("a site asks for the floor, the chair grants it, then removes the site and locks the meeting", async ({ browser }) => {
  const room = "giao-ban-phat-bieu";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  await joinRoom(site, room);
  const siteTile = chair.locator('[data-testid="remote-tile"][data-display-name="UBND phường Kinh Bắc"]');
  await chair.getByTestId("mute-all").click();
  await expect(site.getByTestId("toggle-mic")).toBeDisabled();

  await site.getByTestId("raise-hand").click();
  await expect(siteTile).toHaveAttribute("data-hand", "true");
  await chair.getByTestId("queue-give-floor").click();
  await expect(siteTile).toHaveAttribute("data-floor", "true");
  await expect(siteTile).toHaveAttribute("data-spotlight", "true");
  // With the floor the site may speak despite mute-all.
  await expect(site.getByTestId("toggle-mic")).toBeEnabled();
  await site.getByTestId("toggle-mic").click();
  await expect(siteTile).toHaveAttribute("data-audio-paused", "false");
  await expect(site.locator('[data-testid="remote-tile"]')).toHaveCount(1);
  await chair.screenshot({ path: test.info().outputPath("floor.png"), fullPage: true });

  // The chair stops the site's camera: the site's own page shows it off (not on while nothing is sent),
  // and the site turns it back on itself.
  await expect(site.getByTestId("toggle-camera")).toHaveAttribute("aria-pressed", "false");
  await siteTile.getByTestId("tile-menu").click();
  await siteTile.getByTestId("stop-camera").click();
  await expect(siteTile).toHaveAttribute("data-video-paused", "true");
  await expect(site.getByTestId("toggle-camera")).toHaveAttribute("aria-pressed", "true");
  await site.getByTestId("toggle-camera").click();
  await expect(site.getByTestId("toggle-camera")).toHaveAttribute("aria-pressed", "false");
  await expect(siteTile).toHaveAttribute("data-video-paused", "false");

  // Lock, then remove: the site is told, and cannot come back while the meeting is locked.
  await chair.getByTestId("lock-room").click();
  await chair.getByTestId("confirm-ok").click();
  await siteTile.getByTestId("tile-menu").click();
  await siteTile.getByTestId("remove-site").click();
  await chair.getByTestId("confirm-ok").click();
  await expect(siteTile).toHaveCount(0);
  await expect(site.getByTestId("meeting-notice")).toContainText("mời điểm cầu ra");
  await site.getByTestId("join-button").click();
  await expect(site.getByTestId("error-message")).toHaveAttribute("data-error-code", "ROOM_LOCKED");

  await chair.getByTestId("end-meeting").click();
  await chair.getByTestId("confirm-ok").click();
  await expect(chair.getByTestId("meeting-notice")).toContainText("kết thúc");

  // The meeting's record: attendance per site, downloadable.
  await chair.getByTestId("nav-meetings").click();
  await chair.locator(`[data-testid="meeting-row"][data-room="${room}"] a`).click();
  await expect(chair.getByTestId("attendance-row").filter({ hasText: "UBND phường Kinh Bắc" })).toBeVisible();
  const downloading = chair.waitForEvent("download");
  await chair.getByTestId("attendance-pdf").click();
  expect((await downloading).suggestedFilename()).toBe(`diem-danh-${room}.pdf`);
  for (const page of [chair, site]) await page.context().close();
});

test("the pre-join screen shows the microphone level, and joining with the microphone off mutes it for everyone", async ({ browser }) => {
  const room = "giao-ban-truoc-khi-vao";
  const chair = await signedInPage(browser, "lanhdao", undefined, `/?room=${room}`);
  await joinRoom(chair, room);
  const site = await signedInPage(browser, "diemcau-kinhbac", undefined, `/?room=${room}`);
  // Chromium's fake microphone plays a tone: the meter must move.
  await expect.poll(async () => Number(await site.getByTestId("mic-level").getAttribute("data-level")), { message: "microphone level" }).toBeGreaterThan(0);
  await site.screenshot({ path: test.info().outputPath("prejoin.png") });
  await site.getByTestId("start-mic-off").check();
  await joinRoom(site, room);
  await expect(site.getByTestId("toggle-mic")).toHaveAttribute("aria-pressed", "true");
  const siteTile = chair.locator('[data-testid="remote-tile"][data-display-name="UBND phường Kinh Bắc"]');
  await expect(siteTile).toHaveAttribute("data-video-paused", "false");
  await expect(siteTile).toHaveAttribute("data-audio-paused", "true");
  await site.getByTestId("toggle-mic").click();
  await expect(siteTile).toHaveAttribute("data-audio-paused", "false");
  for (const page of [chair, site]) await page.context().close();
});

test("a leader schedules a briefing for a ward; the ward's site finds it and enters; others are refused", async ({ browser }) => {
  const chair = await signedInPage(browser, "lanhdao");
  await chair.getByTestId("schedule-open").click();
  await chair.getByTestId("schedule-title").fill("Giao ban chuyên đề phòng chống lụt bão");
  await chair.getByTestId("schedule-room").fill("giao-ban-lut-bao");
  await chair.getByTestId("schedule-form").getByLabel("UBND phường Kinh Bắc").check();
  await chair.getByTestId("schedule-submit").click();
  await expect(chair.locator('[data-testid="upcoming-meeting"][data-room="giao-ban-lut-bao"]')).toBeVisible();

  const site = await signedInPage(browser, "diemcau-kinhbac");
  await site.locator('[data-testid="upcoming-meeting"][data-room="giao-ban-lut-bao"]').getByTestId("enter-meeting").click();
  await expect(site.getByTestId("room-id")).toHaveValue("giao-ban-lut-bao");
  await site.getByTestId("join-button").click();
  await expect(site.getByTestId("local-tile")).toBeVisible();

  // A commune that was not invited neither sees it nor gets in.
  const other = await signedInPage(browser, "canbo-yenphong");
  await expect(other.locator('[data-testid="upcoming-meeting"][data-room="giao-ban-lut-bao"]')).toHaveCount(0);
  await joinRoomExpectingError(other, "giao-ban-lut-bao", "NOT_INVITED");
  for (const page of [chair, site, other]) await page.context().close();
});

async function joinRoomExpectingError(page: Page, roomId: string, code: string): Promise<void> {
  await openRoomPage(page);
  await page.getByTestId("room-id").fill(roomId);
  await page.getByTestId("join-button").click();
  await expect(page.getByTestId("error-message")).toHaveAttribute("data-error-code", code);
}
