// The channel names of the API contract, without zod: what the Electron preload (sandboxed, bundled
// with nothing but `electron` external) needs to build one function per channel. Keep in sync with
// `schemas` in contract.ts — the type check below fails when a channel is missing or unknown, and
// test/unit/channels.test.ts checks that the list equals Object.keys(schemas), in order.
import type { Channel } from './contract';

export const CHANNEL_NAMES = [
  'incident:create',
  'incident:list',
  'incident:get',
  'incident:update',
  'incident:advance',
  'incident:setRole',
  'incident:check',
  'timeline:add',
  'timeline:update',
  'timeline:delete',
  'timeline:restore',
  'artifact:list',
  'artifact:addText',
  'artifact:addPath',
  'artifact:update',
  'artifact:remove',
  'artifact:restore',
  'artifact:content',
  'artifact:pairs',
  'artifact:diff',
  'job:progress',
  'job:cancel',
  'finding:create',
  'finding:list',
  'finding:update',
  'finding:remove',
  'finding:suggest',
  'action:list',
  'action:create',
  'action:update',
  'action:remove',
  'doc:get',
  'doc:save',
  'doc:regenerate',
  'doc:acceptSection',
  'stubs:generate',
  'export:preview',
  'export:run',
  'export:list',
  'bundle:export',
  'bundle:import',
  'app:info',
] as const satisfies readonly Channel[];

type Listed = (typeof CHANNEL_NAMES)[number];
/** Compile-time check: every channel of the contract is listed (the error names the missing ones). */
const complete: [Exclude<Channel, Listed>] extends [never] ? true : { missing: Exclude<Channel, Listed> } = true;
void complete;
