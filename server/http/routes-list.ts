import type { Express } from 'express';

export interface RouteEntry {
  method: string;
  /** Express path with its parameters, e.g. `/api/communes/:code`. */
  path: string;
}

interface LayerLike {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: string | string[];
  handle?: { stack?: LayerLike[] };
}

/**
 * Every route the app serves, walked from Express's router stacks. The authorisation matrix and
 * the API description are checked against it, so a new route cannot be forgotten in either.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: join(prefix, layer.route.path) });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  const router = (app as unknown as { router: { stack: LayerLike[] } }).router;
  walk(router.stack, '');
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function join(a: string, b: string): string {
  return `${a}/${b}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}
