export * from "./topups";
export * from "./cancel";
