// What crosses a process boundary: an envelope, so that error code and details survive IPC and HTTP.
import type { Channel, Input, Output } from './contract';
import type { ApiErrorShape } from './errors';

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiErrorShape };

/**
 * What the Electron preload exposes on `window.pmw`: one typed function per channel (no generic invoke),
 * plus a subscription to application-menu commands.
 */
export type PreloadApi = { [C in Channel]: (input: Input<C>) => Promise<Envelope<Output<C>>> } & {
  onMenuCommand(cb: (command: MenuCommand) => void): () => void;
};

/** Commands the application menu sends to the renderer. */
export const MENU_COMMANDS = ['new-incident', 'quick-note', 'go-incidents', 'find', 'toggle-theme'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** HTTP transport of the web host: POST /api/<channel>, JSON body, token header. */
export const WEB_TOKEN_HEADER = 'x-pmw-token';
export const WEB_API_PREFIX = '/api/';
