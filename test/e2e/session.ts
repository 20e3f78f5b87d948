import { type Browser, type Page, expect } from "@playwright/test";
import { recordPeerConnections } from "./media-stats";

/** Password of the demo accounts (prisma/seed.ts). */
export const DEMO_PASSWORD = "cau-noi-demo-2026";

/** A fresh browser context (its own cookies and fake devices), signed in. */
export async function signedInPage(browser: Browser, username: string, password = DEMO_PASSWORD, path = "/"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await recordPeerConnections(page);
  await page.goto(path);
  await signIn(page, username, password);
  return page;
}

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("user-box")).toBeVisible();
}

/** The room page (pre-join screen): a signed-in account lands on its home, where no camera is open. */
export async function openRoomPage(page: Page): Promise<void> {
  if (await page.getByTestId("room-id").isVisible()) return;
  await page.getByTestId("nav-meeting").click();
  await expect(page.getByTestId("room-id")).toBeVisible();
}

export async function joinRoom(page: Page, roomId: string): Promise<void> {
  await openRoomPage(page);
  await page.getByTestId("room-id").fill(roomId);
  await page.getByTestId("join-button").click();
  await expect(page.getByTestId("local-tile")).toBeVisible();
}
