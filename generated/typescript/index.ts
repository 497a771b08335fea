/* Generated from schemas/ by `make codegen`. Do not edit by hand. */
export * from "./catalog.js";
export * from "./messages.js";
export * from "./protocol.js";
