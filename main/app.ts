// Composition root: open the store, build the services, bind them to the API contract.
import { openDb, schemaVersion, type Db, type OpenOptions } from './store/db';
import { IncidentService, systemClock, type Clock } from './services/incidents';
import type { AppInfo, Channel, Handlers, Input, Output } from '../shared/api/contract';
import { ApiError } from '../shared/api/errors';
import type { Envelope } from '../shared/api/transport';
import { parseInput } from '../shared/api/validate';

export const APP_VERSION: string = process.env.PMW_APP_VERSION ?? '0.1.0';

export interface AppOptions extends OpenOptions {
  dbPath: string;
  host: AppInfo['host'];
  clock?: Clock;
}

export interface App {
  db: Db;
  handlers: Handlers;
  services: { incidents: IncidentService };
  /** Validate the input against the contract, run the handler, return an envelope (never throws). */
  dispatch<C extends Channel>(channel: C | string, input: unknown): Promise<Envelope<Output<C>>>;
  /** Like dispatch, but throws ApiError; for in-process callers (CLI). */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  close(): void;
}

export function createApp(opts: AppOptions): App {
  const db = openDb(opts.dbPath, opts);
  const incidents = new IncidentService(db, opts.clock ?? systemClock);
  const handlers: Handlers = {
    'incident:create': (i) => incidents.create(i),
    'incident:list': (i) => incidents.list(i),
    'incident:get': (i) => incidents.get(i.key),
    'incident:update': (i) => incidents.update(i),
    'incident:advance': (i) => incidents.advance(i),
    'incident:setRole': (i) => incidents.setRole(i),
    'incident:check': (i) => incidents.check(i),
    'timeline:add': (i) => incidents.addEvent(i),
    'timeline:update': (i) => incidents.updateEvent(i),
    'timeline:delete': (i) => incidents.deleteEvent(i),
    'timeline:restore': (i) => incidents.restoreEvent(i),
    'app:info': () => ({ version: APP_VERSION, dbPath: opts.dbPath, host: opts.host, schemaVersion: schemaVersion(db) }),
  };

  async function call<C extends Channel>(channel: C, input: unknown): Promise<Output<C>> {
    const parsed = parseInput(channel, input);
    const h = handlers[channel] as (i: typeof parsed) => Output<C> | Promise<Output<C>>;
    return await h(parsed);
  }

  return {
    db,
    handlers,
    services: { incidents },
    async dispatch<C extends Channel>(channel: C | string, input: unknown): Promise<Envelope<Output<C>>> {
      try {
        if (!Object.prototype.hasOwnProperty.call(handlers, channel)) {
          throw new ApiError('NOT_FOUND', `Unknown call ${String(channel).slice(0, 80)}`);
        }
        return { ok: true, data: await call(channel as C, input) };
      } catch (e) {
        const err = ApiError.from(e);
        if (err.code === 'INTERNAL' && process.env.PMW_DEBUG) console.error(e);
        return { ok: false, error: err.toJSON() };
      }
    },
    call: (c, i) => call(c, i),
    close: () => db.close(),
  };
}
