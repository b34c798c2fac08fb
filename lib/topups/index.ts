export * from "./topups";
