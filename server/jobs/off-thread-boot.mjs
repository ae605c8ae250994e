// Entry point of the upload worker threads (see off-thread.ts). Plain JavaScript because a worker
// starts without the TypeScript loader the main thread may have (Vitest's, for one): it registers
// tsx, then loads the task module the main thread names.
import { register } from 'tsx/esm/api';

register();
const modules = new Map();

/**
 * Runs `module`'s default export on `input`. Lists it hands to `send` go to the main thread in
 * chunks, each sent only once the previous one was taken, so that the main thread never
 * deserialises more than one chunk between two turns of its event loop.
 */
export default async function run({ module, input, port, chunk }) {
  let mod = modules.get(module);
  if (!mod) modules.set(module, (mod = await import(module)));
  let acked = null;
  port.on('message', () => acked?.());
  const send = async (list, items) => {
    for (let i = 0; i < items.length; i += chunk) {
      const taken = new Promise((resolve) => { acked = resolve; });
      port.postMessage({ list, items: items.slice(i, i + chunk) });
      await taken;
    }
  };
  try {
    port.postMessage({ done: await mod.default(input, send) });
  } catch (err) {
    port.postMessage({ error: String(err?.stack ?? err).slice(0, 2000) });
  } finally {
    port.close();
  }
}
