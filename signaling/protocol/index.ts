export * from "./ack";
export * from "./admin";
export * from "./auth";
export * from "./cases";
export * from "./errors";
export * from "./events";
export * from "./media";
export * from "./reception";
