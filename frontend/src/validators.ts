/**
 * The frame validators generated from `schemas/` (ajv's standalone code, about 100 KB): the entry
 * point `@hailango/notifyhub-client/validators`. The client loads this module with a dynamic
 * `import()` only when `validateFrames` is on, so an app that leaves the option off never
 * downloads it.
 */
export {
  CLIENT_FRAME_VALIDATORS,
  SERVER_MESSAGE_VALIDATORS,
  type FrameValidator,
  type ValidationError,
} from "../../generated/typescript/validators.js";
