import type { Page } from "@playwright/test";
import { TEST_PASSWORD } from "./factories";

/**
 * Signs a harness page in at `path` (e.g. `/?room=…`) as `username` and joins the room, waiting until its
 * own tile shows. Generous timeouts: the soak and the benches run many pages on two loaded cores.
 */
export async function signInAndJoin(page: Page, path: string, username: string): Promise<void> {
  await page.goto(path, { timeout: 120_000 });
  await page.getByTestId("login-username").fill(username, { timeout: 60_000 });
  await page.getByTestId("login-password").fill(TEST_PASSWORD, { timeout: 60_000 });
  await page.getByTestId("login-submit").click({ timeout: 60_000 });
  await page.getByTestId("user-box").waitFor({ state: "attached", timeout: 60_000 });
  await page.waitForFunction(() => {
    const button = document.querySelector<HTMLButtonElement>('[data-testid="join-button"]');
    return button !== null && !button.disabled;
  }, undefined, { timeout: 60_000 });
  await page.getByTestId("join-button").click({ timeout: 60_000 });
  await page.getByTestId("local-tile").waitFor({ timeout: 60_000 });
}
