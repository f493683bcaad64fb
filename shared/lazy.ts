// Values built on first use (issue 14: start-up). Building zod schemas is the largest cost of loading a
// module that defines many of them (tens of ms for the API contract and the generator parameters), and
// most commands use one or two. Both helpers keep the types of what they wrap, so callers do not change.

/**
 * A record whose every property is built by its thunk the first time it is read, then kept (an own,
 * enumerable property: Object.keys, `in` and hasOwnProperty see every key before anything is built).
 */
export function lazyRecord<T extends Record<string, () => unknown>>(thunks: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(thunks)) {
    const build = thunks[key];
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(out, key, { value, enumerable: true, configurable: false, writable: false });
        return value;
      },
    });
  }
  return out as { readonly [K in keyof T]: ReturnType<T[K]> };
}

/**
 * An object (a zod schema) built the first time anything reads it: every read, call, `in`, `instanceof`
 * and key listing goes to the built object. Use it for module-level schemas that are exported or
 * composed into others; the type is the built object's own.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= build());
  return new Proxy({} as T, {
    get: (_t, p) => Reflect.get(real(), p),
    set: (_t, p, v) => Reflect.set(real(), p, v),
    has: (_t, p) => Reflect.has(real(), p),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_t, p) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), p);
      // The proxy's own target is an empty, extensible object: a property may be reported as long as it is configurable.
      return d && { ...d, configurable: true };
    },
    defineProperty: (_t, p, d) => Reflect.defineProperty(real(), p, d),
    deleteProperty: (_t, p) => Reflect.deleteProperty(real(), p),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
