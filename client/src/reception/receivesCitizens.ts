import { receptionPolicy } from "../../../signaling/policies/reception";
import type { Role } from "../../../signaling/protocol";

/** Who receives citizens may read who booked a slot: the server's own rule (receptionPolicy.mayReceiveCitizens). */
export const receivesCitizens = (roles: readonly Role[]) => receptionPolicy.mayReceiveCitizens({ roles });
