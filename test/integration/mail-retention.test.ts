import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueMail } from "../../signaling/services/mail/MailQueue";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * A sent message's text and calendar object are erased MAIL_KEEP_BODY_DAYS after it was sent: they
 * repeat case codes, subjects and meeting details that the case and meeting already hold, and a mail
 * table kept for ever would be a second copy of them. The row itself stays (kind, recipient, subject,
 * when sent, the server's answer) as the record that the notice went out, and so does its dedupe key:
 * a reminder is not sent a second time because its old copy was erased.
 */
let server: TestServer;
const DAY = 86_400_000;

beforeAll(async () => {
  // MAIL_POLL_MS long: the worker's own runs must not race the runs this test makes with its own clock.
  server = await startTestServer({ MAIL_KEEP_BODY_DAYS: "30", MAIL_POLL_MS: "3600000", MAIL_DEADLINE_CHECK_MINUTES: "0" });
});

afterAll(async () => {
  await server?.close();
});

async function sentMessage(subject: string, sentDaysAgo: number, dedupeKey?: string) {
  await enqueueMail(server.db, {
    kind: "reminder",
    to: { email: "vanthu@tinh.gov.vn" },
    content: { subject, text: `Nhiệm vụ ${subject}: hạn xử lý`, ics: { method: "REQUEST", content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" } },
    ...(dedupeKey ? { dedupeKey } : {}),
  });
  const row = await server.db.mailMessage.findFirstOrThrow({ where: { subject } });
  if (sentDaysAgo >= 0) {
    await server.db.mailMessage.update({ where: { id: row.id }, data: { status: "sent", sentAt: new Date(Date.now() - sentDaysAgo * DAY), serverResponse: "250 2.0.0 Ok" } });
  }
  return row.id;
}

describe("mail retention", () => {
  it("erases the text and calendar object of messages sent longer ago than MAIL_KEEP_BODY_DAYS, and only those", async () => {
    const old = await sentMessage("cũ", 31, "reminder:old-task:d3:user-1");
    const recent = await sentMessage("mới", 29);
    const waiting = await sentMessage("đang chờ", -1);
    await server.db.mailMessage.update({ where: { id: waiting }, data: { createdAt: new Date(Date.now() - 60 * DAY) } });

    // The worker's run (any run, even with no SMTP settings) erases at most once an hour; this run's
    // clock is two hours later than the server's start, so it is due.
    await server.mail.queue.runOnce(() => new Date(Date.now() + 2 * 3_600_000));

    const rows = new Map((await server.db.mailMessage.findMany({ where: { id: { in: [old, recent, waiting] } } })).map((row) => [row.id, row]));
    expect(rows.get(old)).toMatchObject({ status: "sent", subject: "cũ", textBody: "", ics: null, serverResponse: "250 2.0.0 Ok" });
    expect(rows.get(recent)).toMatchObject({ textBody: "Nhiệm vụ mới: hạn xử lý", ics: expect.stringContaining("VCALENDAR") });
    // Not sent yet, however old: it still has to go out.
    expect(rows.get(waiting)).toMatchObject({ status: "queued", textBody: "Nhiệm vụ đang chờ: hạn xử lý" });

    // The erased message still holds its dedupe key: the same reminder is not queued again.
    const again = await enqueueMail(server.db, { kind: "reminder", to: { email: "vanthu@tinh.gov.vn" }, content: { subject: "cũ", text: "lần hai" }, dedupeKey: "reminder:old-task:d3:user-1" });
    expect(again).toBe(false);
  });
});
