export { changePasswordRequestSchema, loginRequestSchema, sessionResponseSchema, sessionUserSchema } from "../../protocol";
