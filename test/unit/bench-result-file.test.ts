import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { unusedResultFile } from "../bench/lib/util";

let dir: string | undefined;
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

it("a second run of the same day gets its own results file; the first's figures stay", () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cau-noi-results-"));
  const first = unusedResultFile(dir, "soak-2026-12-08-30min");
  expect(path.basename(first)).toBe("soak-2026-12-08-30min.json");
  fs.writeFileSync(first, "{}");
  const second = unusedResultFile(dir, "soak-2026-12-08-30min");
  expect(path.basename(second)).toBe("soak-2026-12-08-30min-2.json");
  fs.writeFileSync(second, "{}");
  expect(path.basename(unusedResultFile(dir, "soak-2026-12-08-30min"))).toBe("soak-2026-12-08-30min-3.json");
});
