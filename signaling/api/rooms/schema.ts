import { z } from "zod";
import { roomIdSchema } from "../../protocol";

export const roomParamsSchema = z.object({ roomId: roomIdSchema }).strict();
export const roomStateSchema = z.object({
  id: z.string(),
  workerIndex: z.number().int(),
  peers: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      producers: z.array(z.object({ id: z.string(), kind: z.string(), source: z.string(), paused: z.boolean(), layers: z.number().int() })),
    }),
  ),
});
