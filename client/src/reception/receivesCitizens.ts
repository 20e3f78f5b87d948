/** Officers and leaders receive citizens: they may read who booked a slot. */
export const receivesCitizens = (roles: readonly string[]) => roles.includes("officer") || roles.includes("leader");
