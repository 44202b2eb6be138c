import type * as Engine from './engine';

export type RouterEngine = typeof Engine;

let engine: RouterEngine | undefined;

/** Loads dist/routerEngine.js on first use; esbuild keeps this require external (see esbuild.config.mjs). */
export function loadEngine(): RouterEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (engine ??= require('./routerEngine.js') as RouterEngine);
}
