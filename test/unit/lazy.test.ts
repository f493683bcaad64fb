// shared/lazy.ts: schemas built on first use behave as the schemas they stand for.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazyRecord, lazySchema } from '../../shared/lazy';
import { CHANNELS, schemas } from '../../shared/api/contract';

describe('lazyRecord', () => {
  it('builds a property on first read only, once, and lists every key before', () => {
    let built = 0;
    const r = lazyRecord({ a: () => (built++, { n: 1 }), b: () => (built++, 2) });
    expect(Object.keys(r)).toEqual(['a', 'b']);
    expect('a' in r && Object.prototype.hasOwnProperty.call(r, 'b')).toBe(true);
    expect(built).toBe(0);
    expect(r.a.n).toBe(1);
    expect(r.a).toBe(r.a);
    expect(built).toBe(1);
    expect(r.b).toBe(2);
    expect(built).toBe(2);
  });

  it('the API contract: every channel has a zod schema', () => {
    for (const c of CHANNELS) expect(schemas[c]).toBeInstanceOf(z.ZodType);
  });
});

describe('lazySchema', () => {
  it('is not built until used, then parses, composes and reports like the schema itself', () => {
    let built = 0;
    const key = lazySchema(() => (built++, z.string().regex(/^INC-\d{4,}$/, { message: 'must be an incident key' })));
    const obj = lazySchema(() => z.strictObject({ key, n: z.number().optional() }));
    expect(built).toBe(0);
    expect(obj.parse({ key: 'INC-0001' })).toEqual({ key: 'INC-0001' });
    expect(built).toBe(1);
    const r = obj.safeParse({ key: 'x', extra: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(expect.arrayContaining(['must be an incident key']));
    expect(key).toBeInstanceOf(z.ZodString);
    expect(obj).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(obj.shape)).toEqual(['key', 'n']);
    expect(key.optional().parse(undefined)).toBeUndefined();
    expect(obj.extend({ m: z.boolean() }).parse({ key: 'INC-0002', m: true })).toEqual({ key: 'INC-0002', m: true });
    expect(z.array(key).safeParse(['INC-0003', 'nope']).success).toBe(false);
    expect(built).toBe(1);
  });
});
