export * from "./provider";
export * from "./sdk";
export * from "./report";
