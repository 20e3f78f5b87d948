import fs from "node:fs";
import { type APIRequestContext, type Browser, type Locator, type Page, expect, test } from "@playwright/test";
import { composedRecording, expectFileCoversStoredSpan, noteStartGap, tokenOf } from "./recording-file";
import { signedInPage } from "./session";

async function api<T>(request: APIRequestContext, token: string, path: string): Promise<T> {
  const response = await request.get(`/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** Frames decoded and shown by one <video> (a tile), sampled 1.5 s apart. */
async function expectFramesGrowing(video: Locator, what: string): Promise<void> {
  const frames = () => video.evaluate((element) => (element as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
  await expect.poll(frames, { message: `${what}: first frame` }).toBeGreaterThan(0);
  const before = await frames();
  await video.page().waitForTimeout(1_500);
  expect(await frames(), `${what}: frames over 1.5 s`).toBeGreaterThan(before);
}

/** A citizen on a phone books the first free online slot of the commune and returns the receipt. */
async function bookOnPhone(browser: Browser, citizen: { name: string; cccd: string; phone: string; content: string }) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ["camera", "microphone"] });
  const page = await context.newPage();
  await page.goto("/lich-tiep-dan");
  await page.locator('[data-testid="booking-unit"][data-unit-name="UBND xã Yên Phong"]').click();
  await page.locator('[data-testid="booking-slot"][data-mode="online"]:not([disabled])').first().click();
  await page.getByTestId("booking-fullName").fill(citizen.name);
  await page.getByTestId("booking-cccd").fill(citizen.cccd);
  await page.getByTestId("booking-phone").fill(citizen.phone);
  await page.getByTestId("booking-address").fill("Thôn Đoài, xã Yên Phong");
  await page.getByTestId("booking-petitionKind").selectOption("complaint");
  await page.getByTestId("booking-content").fill(citizen.content);
  await page.getByTestId("booking-consent").check();
  await page.getByTestId("booking-submit").click();
  await expect(page.getByTestId("booking-done")).toBeVisible();
  const code = (await page.getByTestId("booking-code").textContent())?.trim() ?? "";
  const link = (await page.getByTestId("booking-join-link").getAttribute("href")) ?? "";
  return { page, code, link };
}

/** The staff member enters the room from the pre-join screen (the room is prefilled from ?room=). */
async function enterRoom(page: Page): Promise<string> {
  await expect(page.getByTestId("room-id")).toHaveValue(/^tiep-dan-/);
  const roomId = await page.getByTestId("room-id").inputValue();
  await page.getByTestId("join-button").click();
  await expect(page.getByTestId("local-tile")).toBeVisible();
  return roomId;
}

test("a citizen books on a phone, waits, is let in, answers the notice before any media, is received and recorded, and leaves with a case", async ({ browser, request }) => {
  const { page: citizen, code: bookingCode, link } = await bookOnPhone(browser, {
    name: "Trần Văn Công",
    cccd: "027090005678",
    phone: "0987 654 321",
    content: "Khiếu nại việc bồi thường khi thu hồi đất làm đường liên xã.",
  });

  // The commune's officer opens the session for this booking and enters its room.
  const officer = await signedInPage(browser, "canbo-yenphong");
  await officer.getByTestId("nav-reception").click();
  await officer.getByTestId("reception-tab-receptionSessions").click();
  await officer.locator(`[data-testid="session-booking"][data-code="${bookingCode}"] [data-testid="open-direct"]`).click();
  const roomId = await enterRoom(officer);
  await expect(officer.getByTestId("reception-panel")).toBeVisible();

  // The citizen opens the link: the waiting room; the token leaves the address bar.
  await citizen.goto(link);
  await expect(citizen.getByTestId("guest-waiting")).toBeVisible();
  expect(citizen.url()).not.toContain("t=");
  await officer.getByTestId("admit-guest").click();
  await expect(citizen.getByTestId("guest-consent")).toBeVisible();

  // Before the answer, nothing of the citizen exists on the media server.
  const staffToken = await tokenOf(request, "canbo-yenphong");
  const room = await api<{ peers: { displayName: string; producers: unknown[] }[] }>(request, staffToken, `/rooms/${roomId}`);
  expect(room.peers.map((peer) => peer.displayName)).toEqual(["Cán bộ xã Yên Phong"]);
  await expect(officer.getByTestId("consent-state")).toContainText("chưa trả lời");
  await citizen.screenshot({ path: test.info().outputPath("citizen-consent-390.png"), fullPage: true });

  await citizen.getByTestId("consent-accept").click();
  await expect(officer.getByTestId("reception-panel")).toHaveAttribute("data-consent", "true");
  await expectFramesGrowing(citizen.locator('[data-testid="remote-tile"] video'), "officer's camera on the citizen's phone");
  await expectFramesGrowing(officer.locator('[data-testid="remote-tile"][data-display-name="Trần Văn Công"] video'), "citizen's camera at the officer");
  await citizen.screenshot({ path: test.info().outputPath("citizen-in-reception-390.png") });

  // ~5 s recorded; the citizen sees the recording notice badge.
  const clicked = Date.now();
  await officer.getByTestId("record").click();
  await expect(citizen.getByTestId("recording-badge")).toBeVisible();
  noteStartGap(Date.now() - clicked);
  // The file is checked against the instants the server stored, not this wait.
  await officer.waitForTimeout(5_000);
  await officer.getByTestId("record").click();
  await expect(citizen.getByTestId("recording-badge")).toHaveCount(0);

  // A case from the session: the citizen is handed its codes on screen.
  await officer.getByTestId("case-summary").fill("Khiếu nại bồi thường thu hồi đất làm đường");
  await officer.getByTestId("issue-case").click();
  await expect(officer.getByTestId("issued-case")).toBeVisible();
  const caseCode = (await citizen.getByTestId("guest-case-code").textContent())?.trim() ?? "";
  const lookupSecret = (await citizen.getByTestId("guest-lookup-secret").textContent())?.trim() ?? "";
  expect(caseCode).toMatch(/^BN-YENPHONG-\d{4}-\d+$/);

  // The book entry for this visit, then the citizen confirms it on the phone instead of signing.
  await officer.getByTestId("write-entry").click();
  await expect(officer.getByTestId("entry-session-note")).toBeVisible();
  await officer.getByTestId("citizen-name").fill("Trần Văn Công");
  await officer.getByTestId("citizen-address").fill("Thôn Đoài, xã Yên Phong");
  await officer.getByTestId("entry-content").fill("Công dân khiếu nại việc bồi thường khi thu hồi đất làm đường liên xã.");
  await officer.getByTestId("entry-handling").selectOption("tiep_nhan_don");
  await officer.getByTestId("entry-submit").click();
  await expect(officer.getByTestId("entry-detail")).toBeVisible();
  await officer.getByTestId("nav-meeting").click();
  await officer.getByTestId("entry-select").focus();
  await expect(officer.locator('[data-testid="entry-select"] option')).toHaveCount(2);
  await officer.getByTestId("entry-select").selectOption({ index: 1 });
  await officer.getByTestId("ask-confirm").click();
  await expect(citizen.getByTestId("guest-confirmation")).toContainText("thu hồi đất");
  await citizen.getByTestId("confirm-entry").click();
  await expect(citizen.getByTestId("guest-confirmed")).toBeVisible();

  await officer.getByTestId("end-meeting").click();
  await officer.getByTestId("confirm-ok").click();
  await expect(citizen.getByTestId("guest-left")).toBeVisible();
  await expect(citizen.getByTestId("guest-case")).toBeVisible();

  // The recording: one file (video + audio, the session's length), linked to the session of the entry.
  const sessions = await api<{ items: { id: string; roomId: string; recordingId: string | null; status: string }[] }>(request, staffToken, "/reception/sessions");
  const session = sessions.items.find((item) => item.roomId === roomId);
  expect(session?.status).toBe("ended");
  const book = await api<{ items: { sessionId: string | null; citizenConfirmedAt: string | null; citizens: { fullName: string }[] }[] }>(request, staffToken, "/reception/book");
  const entry = book.items.find((item) => item.sessionId === session?.id);
  expect(entry?.citizenConfirmedAt).toBeTruthy();
  expect(entry?.citizens.map((person) => person.fullName)).toEqual(["Trần Văn Công"]);
  const { meetingId, recording } = await composedRecording(request, staffToken, roomId);
  expect(recording.status).toBe("ready");
  expect(recording.id).toBe(session?.recordingId);
  const download = await request.get(`/api/meetings/${meetingId}/recordings/${recording.id}`, { headers: { authorization: `Bearer ${staffToken}` } });
  const file = test.info().outputPath("reception.mp4");
  fs.writeFileSync(file, await download.body());
  expectFileCoversStoredSpan(file, recording);

  // The citizen follows the case without an account.
  await citizen.goto(`/tra-cuu?ma=${encodeURIComponent(caseCode)}`);
  await citizen.getByTestId("lookup-secret").fill(lookupSecret);
  await citizen.getByTestId("lookup-submit").click();
  await expect(citizen.getByTestId("lookup-result")).toBeVisible();
  for (const page of [officer, citizen]) await page.context().close();
});

test("a reused link is refused, and a second citizen cannot enter a running session", async ({ browser }) => {
  const first = await bookOnPhone(browser, { name: "Phạm Thị Một", cccd: "027090001111", phone: "0911 111 111", content: "Phản ánh về việc thu phí vệ sinh môi trường không đúng quy định." });
  const second = await bookOnPhone(browser, { name: "Lê Văn Hai", cccd: "027090002222", phone: "0922 222 222", content: "Kiến nghị sửa chữa tuyến đường liên thôn bị xuống cấp nghiêm trọng." });
  const officer = await signedInPage(browser, "canbo-yenphong");
  await officer.getByTestId("nav-reception").click();
  await officer.getByTestId("reception-tab-receptionSessions").click();
  await officer.locator(`[data-testid="session-booking"][data-code="${first.code}"] [data-testid="open-direct"]`).click();
  await enterRoom(officer);

  await first.page.goto(first.link);
  await expect(first.page.getByTestId("guest-waiting")).toBeVisible();
  // The same link in another browser: spent.
  const elsewhere = await (await browser.newContext()).newPage();
  await elsewhere.goto(first.link);
  await expect(elsewhere.getByTestId("error-message")).toHaveAttribute("data-error-code", "JOIN_LINK_USED");

  await officer.getByTestId("admit-guest").click();
  await first.page.getByTestId("consent-accept").click();
  await expect(first.page.getByTestId("guest-room")).toBeVisible();

  // The second citizen's own session is not open: they wait for it, never seeing this one.
  await second.page.goto(second.link);
  await expect(second.page.getByTestId("guest-not-open")).toBeVisible();
  await expect(officer.getByTestId("lobby-guest")).toHaveCount(0);
  await expect(officer.locator('[data-testid="remote-tile"]')).toHaveCount(1);
  for (const page of [officer, first.page, second.page, elsewhere]) await page.context().close();
});

test("a leader receives a citizen at a commune's reception office with an agency joining; the office's officer writes the book entry", async ({ browser, request }) => {
  // Three real-media pages, six first-frame checks and a book entry: on a loaded 2-core machine this
  // takes longer than the default 90 s safety net (every step has its own 20 s expectation timeout).
  test.setTimeout(240_000);
  const leader = await signedInPage(browser, "lanhdao");
  await leader.getByTestId("nav-reception").click();
  await leader.getByTestId("reception-tab-receptionSessions").click();
  await leader.getByTestId("office-kind").selectOption("periodic");
  await leader.getByTestId("office-officeUnitId").selectOption({ label: "— UBND xã Yên Phong" });
  await leader.getByTestId("office-agencyUnitId").selectOption({ label: "— Thanh tra tỉnh" });
  await leader.getByTestId("open-office").click();
  const roomId = await enterRoom(leader);

  // The office and the agency find the reception among their meetings and enter it.
  const office = await signedInPage(browser, "canbo-yenphong");
  const agency = await signedInPage(browser, "thanhtra");
  for (const page of [office, agency]) {
    await page.locator(`[data-testid="upcoming-meeting"][data-room="${roomId}"] [data-testid="enter-meeting"]`).click();
    await page.getByTestId("join-button").click();
    await expect(page.getByTestId("local-tile")).toBeVisible();
  }
  const names = { leader: "Chủ tịch UBND tỉnh", office: "Cán bộ xã Yên Phong", agency: "Thanh tra viên" };
  for (const [page, self] of [
    [leader, "leader"],
    [office, "office"],
    [agency, "agency"],
  ] as const) {
    await expect(page.locator('[data-testid="remote-tile"]')).toHaveCount(2);
    // By name: the grid reorders tiles as speakers change.
    for (const [other, name] of Object.entries(names)) {
      if (other !== self) await expectFramesGrowing(page.locator(`[data-testid="remote-tile"][data-display-name="${name}"] video`), `${self} receives ${other}`);
    }
  }
  await leader.getByTestId("office-consent-yes").click();
  await expect(leader.getByTestId("reception-panel")).toHaveAttribute("data-consent", "true");
  await leader.screenshot({ path: test.info().outputPath("leader-office-reception.png") });

  // The local officer writes the visit in the book, for the province that receives.
  await office.getByTestId("write-entry").click();
  await office.getByTestId("entry-kind").selectOption("regular");
  await office.getByTestId("citizen-name").fill("Hoàng Thị Tại Xã");
  await office.getByTestId("citizen-address").fill("Thôn Nam, xã Yên Phong");
  await office.getByTestId("entry-content").fill("Công dân kiến nghị về việc giải phóng mặt bằng dự án khu công nghiệp.");
  await office.getByTestId("entry-submit").click();
  await expect(office.getByTestId("entry-detail")).toBeVisible();
  await expect(office.getByTestId("entry-places")).toContainText("UBND xã Yên Phong");
  await expect(office.getByTestId("entry-places")).toContainText("Thanh tra tỉnh");
  await expect(office.getByTestId("entry-citizen-name")).toContainText("Hoàng Thị Tại Xã");

  // The province's book names the office, the agency and the citizen.
  const token = await tokenOf(request, "lanhdao");
  const book = await api<{ items: { sessionId: string | null; places: { name: string; role: string }[]; citizens: { fullName: string }[] }[] }>(request, token, "/reception/book");
  const sessions = await api<{ items: { id: string; roomId: string }[] }>(request, token, "/reception/sessions");
  const sessionId = sessions.items.find((item) => item.roomId === roomId)?.id;
  const entry = book.items.find((item) => item.sessionId === sessionId);
  expect(entry?.places).toEqual(expect.arrayContaining([{ name: "UBND xã Yên Phong", role: "office" }, { name: "Thanh tra tỉnh", role: "agency" }]));
  expect(entry?.citizens.map((person) => person.fullName)).toEqual(["Hoàng Thị Tại Xã"]);
  await leader.getByTestId("end-meeting").click();
  await leader.getByTestId("confirm-ok").click();
  for (const page of [leader, office, agency]) await page.context().close();
});
