// Creates an administrator account — the first one of a production install, where demo accounts never exist.
// Usage: npm run admin:create                      (asks; the password is typed twice and not echoed)
//        CAU_NOI_ADMIN_USERNAME=… CAU_NOI_ADMIN_PASSWORD=… CAU_NOI_ADMIN_NAME=… CAU_NOI_ADMIN_UNIT=… \
//          [CAU_NOI_ADMIN_UNIT_NAME=… CAU_NOI_ADMIN_UNIT_KIND=province] npm run admin:create   (automation)
// CAU_NOI_ADMIN_UNIT is the code of an existing unit; when the unit tree is still empty it is the code of
// the top unit to create, named CAU_NOI_ADMIN_UNIT_NAME. Exit codes: 0 created, 2 refused, 1 failed.
import readline from "node:readline";
import { Writable } from "node:stream";
import { z } from "zod";
import { recordAudit } from "../signaling/audit";
import { hashPassword } from "../signaling/auth/passwords";
import { ConfigError, loadConfig } from "../signaling/config";
import { createDb, type Db } from "../signaling/db/client";
import { rootPath } from "../signaling/domain/unitTree";
import { createUnitRequestSchema, newPasswordSchema, unitKindSchema, usernameSchema } from "../signaling/protocol";

/** The same rules as the admin API (protocol/admin.ts, protocol/auth.ts), so this account is no exception. */
const adminInputSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(2).max(120),
  password: newPasswordSchema,
  unitCode: createUnitRequestSchema.shape.code,
});
const newTopUnitSchema = z.object({ name: createUnitRequestSchema.shape.name, kind: unitKindSchema });

class Refusal extends Error {}

/** Zod problems as lines naming the field; never the value typed (it may be the password). */
const problemsOf = (error: z.ZodError): string => error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("\n  ");

interface Prompter {
  ask(question: string, options?: { hidden?: boolean }): Promise<string>;
  close(): void;
}

/**
 * Questions on stderr, answers from stdin. On a terminal a hidden answer is not echoed (readline writes
 * what is typed through `output`, which is muted meanwhile); piped answers are read line by line.
 */
function terminalPrompter(): Prompter {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  // The iterator buffers lines that arrive before the question is asked (piped input arrives at once).
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question, options = {}) {
      process.stderr.write(question);
      muted = options.hidden === true;
      const next = await lines.next();
      muted = false;
      if (options.hidden && process.stdin.isTTY) process.stderr.write("\n");
      if (next.done) throw new Refusal("input ended before every answer was given");
      return String(next.value);
    },
    close: () => rl.close(),
  };
}

/** Answers from CAU_NOI_ADMIN_*; a missing one is a refusal, never a question (automation has no one to ask). */
function environmentPrompter(env: NodeJS.ProcessEnv): Prompter {
  const byQuestion: [RegExp, string][] = [
    [/^Tên đăng nhập/, "CAU_NOI_ADMIN_USERNAME"],
    [/^Họ tên/, "CAU_NOI_ADMIN_NAME"],
    [/^Mã đơn vị/, "CAU_NOI_ADMIN_UNIT"],
    [/^Tên đơn vị/, "CAU_NOI_ADMIN_UNIT_NAME"],
    [/^Loại đơn vị/, "CAU_NOI_ADMIN_UNIT_KIND"],
    [/^Mật khẩu/, "CAU_NOI_ADMIN_PASSWORD"],
    [/^Nhập lại mật khẩu/, "CAU_NOI_ADMIN_PASSWORD"],
  ];
  return {
    async ask(question) {
      const variable = byQuestion.find(([pattern]) => pattern.test(question))?.[1];
      if (!variable) throw new Error(`no environment variable answers "${question}"`);
      if (variable === "CAU_NOI_ADMIN_UNIT_KIND") return env[variable] ?? "province";
      const value = env[variable];
      if (value === undefined || value === "") throw new Refusal(`${variable} is not set`);
      return value;
    },
    close: () => undefined,
  };
}

async function createAdministrator(db: Db, prompter: Prompter): Promise<string> {
  const username = z.object({ username: usernameSchema }).safeParse({ username: await prompter.ask("Tên đăng nhập / username: ") });
  if (!username.success) throw new Refusal(problemsOf(username.error));
  // Before the password is asked: say at once that this account exists (never overwrite or reset it here).
  if (await db.user.findUnique({ where: { username: username.data.username } })) throw new Refusal(`username ${username.data.username} already exists`);
  const displayName = await prompter.ask("Họ tên hiển thị / display name: ");

  const treeEmpty = (await db.unit.count()) === 0;
  const unitCode = await prompter.ask(treeEmpty ? "Mã đơn vị cấp cao nhất (chưa có đơn vị nào) / code of the top unit to create: " : "Mã đơn vị / unit code: ");
  let topUnit: z.infer<typeof newTopUnitSchema> | undefined;
  if (treeEmpty) {
    const parsed = newTopUnitSchema.safeParse({
      name: await prompter.ask("Tên đơn vị / unit name (e.g. UBND tỉnh …): "),
      kind: (await prompter.ask("Loại đơn vị / unit kind [province]: ")).trim() || "province",
    });
    if (!parsed.success) throw new Refusal(problemsOf(parsed.error));
    topUnit = parsed.data;
  }

  const password = await prompter.ask("Mật khẩu / password (≥ 10 characters): ", { hidden: true });
  if ((await prompter.ask("Nhập lại mật khẩu / password again: ", { hidden: true })) !== password) throw new Refusal("the two passwords differ");

  const input = adminInputSchema.safeParse({ username: username.data.username, displayName, password, unitCode });
  if (!input.success) throw new Refusal(problemsOf(input.error));
  const { data } = input;

  const existingUnit = treeEmpty ? null : await db.unit.findUnique({ where: { code: data.unitCode } });
  if (!treeEmpty && (!existingUnit || !existingUnit.active)) throw new Refusal(`no active unit with code ${data.unitCode}`);
  const passwordHash = await hashPassword(data.password);

  return db.$transaction(async (tx) => {
    // Checked again inside the write transaction: two runs at once must not both pass the early check.
    if (await tx.user.findUnique({ where: { username: data.username } })) throw new Refusal(`username ${data.username} already exists`);
    let unit = existingUnit;
    if (!unit && topUnit) {
      if ((await tx.unit.count()) > 0) throw new Refusal("the unit tree is no longer empty: run again to attach to an existing unit");
      const created = await tx.unit.create({ data: { code: data.unitCode, name: topUnit.name, kind: topUnit.kind, parentId: null, path: "pending" } });
      unit = await tx.unit.update({ where: { id: created.id }, data: { path: rootPath(created.id) } });
      await recordAudit(tx, { actorId: null, action: "unit.create", subjectType: "unit", subjectId: unit.id, detail: { code: unit.code, name: unit.name, kind: unit.kind, via: "admin:create" } });
    }
    if (!unit) throw new Error("unreachable: no unit to attach to");
    const user = await tx.user.create({
      data: { username: data.username, displayName: data.displayName, unitId: unit.id, passwordHash, roles: { create: [{ role: "admin" }] } },
    });
    // No actor: the operator at the server's console, not an account, did this.
    await recordAudit(tx, { actorId: null, action: "user.create", subjectType: "user", subjectId: user.id, detail: { username: user.username, unitId: unit.id, roles: ["admin"], via: "admin:create" } });
    return `${user.username} (admin) in ${unit.code} — ${unit.name}`;
  });
}

const fromEnvironment = process.env.CAU_NOI_ADMIN_USERNAME !== undefined && process.env.CAU_NOI_ADMIN_USERNAME !== "";
const prompter = fromEnvironment ? environmentPrompter(process.env) : terminalPrompter();
let db: Db | undefined;
let exitCode = 0;
try {
  db = createDb(loadConfig().databaseUrl);
  const created = await createAdministrator(db, prompter);
  console.log(`Đã tạo quản trị viên / administrator created: ${created}`);
} catch (error) {
  if (error instanceof Refusal) {
    console.error(`Không tạo tài khoản / not created:\n  ${error.message}`);
    exitCode = 2;
  } else if (error instanceof ConfigError) {
    console.error(`Cấu hình không hợp lệ / invalid configuration:\n  ${error.problems.join("\n  ")}`);
    exitCode = 2;
  } else {
    console.error("admin:create failed:", error instanceof Error ? error.message : error);
    exitCode = 1;
  }
} finally {
  prompter.close();
  await db?.$disconnect();
}
process.exit(exitCode);
