import "server-only";

export * from "./topups";
export * from "./cancel";
