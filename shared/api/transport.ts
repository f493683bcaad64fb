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
} & DesktopApi;

/**
 * Desktop-only helpers (Electron). The renderer feature-detects them. Paths reach the main process
 * only from a native dialog or from real dropped File objects, and `artifact:addPath` in Electron
 * accepts only such paths (a page cannot make up a path).
 */
export interface DesktopApi {
  /** Native folder dialog (e.g. the git repository to export to). */
  pickDirectory(): Promise<string | null>;
  /** Paths of dropped files (from File objects the user dropped); they become addable. */
  pathsForDroppedFiles(files: readonly unknown[]): Promise<string[]>;
  /** Print the current window to a PDF file the user chooses. Returns the path, or null when cancelled. */
  printToPdf(suggestedName: string): Promise<string | null>;
}

/** IPC channels of the desktop helpers (not API calls: no database, no contract). */
export const DESKTOP_IPC = {
  pickDirectory: 'pmw:desktop:pickDirectory',
  allowPaths: 'pmw:desktop:allowPaths',
  printToPdf: 'pmw:desktop:printToPdf',
} as const;

/** Commands the application menu sends to the renderer. */
export const MENU_COMMANDS = ['new-incident', 'quick-note', 'go-incidents', 'find', 'toggle-theme', 'backups'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** HTTP transport of the web host: POST /api/<channel>, JSON body, token header. */
export const WEB_TOKEN_HEADER = 'x-pmw-token';
export const WEB_API_PREFIX = '/api/';
