/** Probot entry point: `probot run ./lib/index.js` (npm start). */
import { defaultEngine } from "./engine/index.js";
import { createApp } from "./github/app.js";

export default createApp(defaultEngine, { mergeBase: true });
