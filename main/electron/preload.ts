// The preload of the sandboxed renderer. A sandboxed preload can only require('electron'); esbuild
// bundles the rest, so everything imported here must be tiny and zod-free: the channel names come from
// shared/api/channels.ts and the menu commands from shared/api/transport.ts (type-only imports of the
// contract vanish at build time).
//
// What the page gets on `window.pmw`: one named function per API channel (no generic invoke — the
// page cannot name a channel that is not in the contract), and a subscription to menu commands.
// The main process checks the sender of every call and validates every input with zod.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES } from '../../shared/api/channels';
import { DESKTOP_IPC, MENU_COMMANDS, type MenuCommand, type PreloadApi } from '../../shared/api/transport';
import type { Channel } from '../../shared/api/contract';

const MENU_IPC_CHANNEL = 'pmw:menu'; // keep in sync with policy.ts (not imported: it pulls node:path)

type ChannelFns = { [C in Channel]: PreloadApi[C] };

function invoker<C extends Channel>(channel: C): PreloadApi[C] {
  // Only the input crosses; the channel is fixed by the closure.
  return ((input: unknown) => ipcRenderer.invoke(channel, input)) as PreloadApi[C];
}

const fns = {} as ChannelFns;
for (const channel of CHANNEL_NAMES) {
  (fns as Record<Channel, unknown>)[channel] = invoker(channel);
}

const isMenuCommand = (x: unknown): x is MenuCommand => typeof x === 'string' && (MENU_COMMANDS as readonly string[]).includes(x);

const api = {
  ...fns,
  pickDirectory: () => ipcRenderer.invoke(DESKTOP_IPC.pickDirectory) as Promise<string | null>,
  async pathsForDroppedFiles(files: readonly unknown[]): Promise<string[]> {
    // Only real files from the OS have a path; a File made by the page has none.
    const paths = Array.from(files ?? [])
      .filter((f): f is File => f instanceof File)
      .map((f) => webUtils.getPathForFile(f))
      .filter((p) => typeof p === 'string' && p.length > 0);
    return paths.length ? ((await ipcRenderer.invoke(DESKTOP_IPC.allowPaths, paths)) as string[]) : [];
  },
  printToPdf: (suggestedName: string) => ipcRenderer.invoke(DESKTOP_IPC.printToPdf, String(suggestedName ?? 'document')) as Promise<string | null>,
  onMenuCommand(cb: (command: MenuCommand) => void): () => void {
    if (typeof cb !== 'function') throw new TypeError('onMenuCommand needs a function');
    const listener = (_event: IpcRendererEvent, command: unknown) => {
      if (isMenuCommand(command)) cb(command);
    };
    ipcRenderer.on(MENU_IPC_CHANNEL, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(MENU_IPC_CHANNEL, listener);
    };
  },
} satisfies PreloadApi;

contextBridge.exposeInMainWorld('pmw', Object.freeze(api));
