// Monaco, offline and lean: the editor API (no editor.main, so no TypeScript/CSS/HTML services), the
// diff editor's actions, find, the codicon font, and only the languages artifacts need. Workers are
// bundled by Vite (`?worker`) and served from 'self' — no CDN, no eval, no blob: scripts — so Monaco
// runs under the app's CSP (script-src 'self'; worker-src 'self' blob:). Imported only through
// loader.ts's dynamic import, so none of this is in the first bundle.
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker?worker';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/browser/widget/diffEditor/diffEditor.contribution';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codiconStyles';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution';
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution';
import 'monaco-editor/esm/vs/basic-languages/ini/ini.contribution';
import 'monaco-editor/esm/vs/basic-languages/python/python.contribution';
import 'monaco-editor/esm/vs/basic-languages/shell/shell.contribution';
import 'monaco-editor/esm/vs/language/json/monaco.contribution';

type MonacoEnv = { getWorker(workerId: string, label: string): Worker };
(self as unknown as { MonacoEnvironment: MonacoEnv }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'json' ? new JsonWorker({ name: 'monaco-json' }) : new EditorWorker({ name: 'monaco-editor' });
  },
};

export { monaco };
