export { createUserRequestSchema, listUsersQuerySchema, resetPasswordRequestSchema, updateUserRequestSchema, userSchema } from "../../protocol";
