import { describe, expect, it } from "vitest";
import { localDate, WorkingCalendar } from "../../signaling/domain/deadlines";
import { directiveDueDate, reminderFor, taskStanding } from "../../signaling/domain/directives";

const d = localDate;
// Thứ Hai 27/04/2026 … : 30/04 and 01/05 are public holidays (Thursday, Friday).
const calendar = new WorkingCalendar([d("2026-04-30"), d("2026-05-01")]);

describe("a directive's due date", () => {
  it("working days skip weekends and holidays; the issue day is not counted", () => {
    // Mon 27/04 + 5 working days: 28, 29, (30, 1 off), (2, 3 weekend), 4, 5, 6 → Wed 06/05.
    expect(directiveDueDate(d("2026-04-27"), { kind: "working", days: 5 }, calendar)).toBe("2026-05-06");
  });

  it("calendar days end on the next working day when the last day is off (BLDS Art. 148)", () => {
    expect(directiveDueDate(d("2026-04-27"), { kind: "calendar", days: 3 }, calendar)).toBe("2026-05-04");
    expect(directiveDueDate(d("2026-04-27"), { kind: "calendar", days: 2 }, calendar)).toBe("2026-04-29");
  });

  it("a date is kept as given", () => {
    expect(directiveDueDate(d("2026-04-27"), { kind: "date", date: d("2026-05-02") }, calendar)).toBe("2026-05-02");
  });
});

describe("a task's standing and reminders", () => {
  const due = d("2026-05-06");
  it("done on or before the due date is done, after it late; open after it is overdue", () => {
    expect(taskStanding({ dueDate: due, completedOn: d("2026-05-06") }, d("2026-05-20"))).toBe("done");
    expect(taskStanding({ dueDate: due, completedOn: d("2026-05-07") }, d("2026-05-20"))).toBe("late");
    expect(taskStanding({ dueDate: due, completedOn: null }, d("2026-05-06"))).toBe("open");
    expect(taskStanding({ dueDate: due, completedOn: null }, d("2026-05-07"))).toBe("overdue");
  });

  it("reminds three working days before (as the case deadline warnings count), on the day and every day overdue, never once done", () => {
    const open = { dueDate: due, completedOn: null };
    // Wed 06/05: its third working day before is Wed 29/04 (30/04 and 01/05 off, then the weekend).
    expect(reminderFor(open, d("2026-04-28"), calendar)).toBeNull();
    expect(reminderFor(open, d("2026-04-29"), calendar)).toBe("d3");
    // Sunday 03/05 is three calendar days before: no mail on a Sunday (it was sent there before).
    expect(reminderFor(open, d("2026-05-03"), calendar)).toBeNull();
    expect(reminderFor(open, d("2026-05-04"), calendar)).toBeNull();
    expect(reminderFor(open, d("2026-05-06"), calendar)).toBe("dDay");
    expect(reminderFor(open, d("2026-05-09"), calendar)).toBe("overdue");
    expect(reminderFor({ dueDate: due, completedOn: d("2026-05-01") }, d("2026-05-09"), calendar)).toBeNull();
    // Due Mon 11/05: Wed 06/05 (Thu 7, Fri 8, Mon 11), never the weekend before it.
    const monday = { dueDate: d("2026-05-11"), completedOn: null };
    expect(reminderFor(monday, d("2026-05-06"), calendar)).toBe("d3");
    expect(reminderFor(monday, d("2026-05-08"), calendar)).toBeNull();
  });
});
