import { z } from "zod";

/** What each role is for (DESIGN.md): admin manages units and accounts; leader chairs briefings and
 * receptions; officer receives citizens and handles petitions; inspector resolves cases; site operates a
 * meeting-room endpoint (điểm cầu); viewer only watches. */
export const roles = ["admin", "leader", "officer", "inspector", "site", "viewer"] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, "username: 3–40 lowercase letters, digits, dots, dashes or underscores");

/** Long passphrases beat composition rules; the upper bound keeps scrypt's input sane. */
export const newPasswordSchema = z.string().min(10, "at least 10 characters").max(200);

export const loginRequestSchema = z
  .object({ username: z.string().trim().toLowerCase().min(1).max(40), password: z.string().min(1).max(200) })
  .strict();

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  unit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const sessionResponseSchema = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires; refresh shortly before. */
  expiresIn: z.number().int(),
  user: sessionUserSchema,
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const changePasswordRequestSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: newPasswordSchema })
  .strict();
