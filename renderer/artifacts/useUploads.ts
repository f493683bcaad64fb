// Files being captured: two at a time, each with its own progress; refusals (TOO_LARGE…) stay listed
// with the file name until dismissed.
import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { Artifact, ArtifactRole } from '../../shared/artifacts';
import { upload } from '../api/client';

export interface UploadItem {
  id: number;
  name: string;
  size: number;
  role: ArtifactRole;
  loaded: number;
  state: 'queued' | 'uploading' | 'done' | 'error';
  error?: ApiError;
}

let seq = 0;
const CONCURRENCY = 2;

export function useUploads(incidentKey: string, onAdded: (a: Artifact) => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const onAddedRef = useRef(onAdded);
  onAddedRef.current = onAdded;

  const patch = useCallback((id: number, p: Partial<UploadItem>) => {
    setItems((xs) => xs.map((x) => (x.id === id ? { ...x, ...p } : x)));
  }, []);

  const add = useCallback(
    async (files: File[], role: ArtifactRole): Promise<{ added: Artifact[]; failed: UploadItem[] }> => {
      const batch = files.map((file) => ({ file, item: { id: ++seq, name: file.name || 'upload', size: file.size, role, loaded: 0, state: 'queued' as const } }));
      setItems((xs) => [...xs, ...batch.map((b) => b.item)]);
      const added: Artifact[] = [];
      const failed: UploadItem[] = [];
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const { file, item } = batch[next++];
          const ctl = new AbortController();
          controllers.current.set(item.id, ctl);
          patch(item.id, { state: 'uploading' });
          let last = 0;
          try {
            const a = await upload(
              incidentKey,
              file,
              { role },
              (loaded) => {
                const t = performance.now();
                if (t - last > 80 || loaded === file.size) {
                  last = t;
                  patch(item.id, { loaded });
                }
              },
              ctl.signal,
            );
            added.push(a);
            onAddedRef.current(a);
            patch(item.id, { state: 'done', loaded: file.size });
            setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== item.id)), 1200);
          } catch (e) {
            const err = ApiError.from(e);
            if (err.code === 'CANCELLED') {
              setItems((xs) => xs.filter((x) => x.id !== item.id));
            } else {
              const failedItem = { ...item, state: 'error' as const, error: err };
              failed.push(failedItem);
              patch(item.id, { state: 'error', error: err });
            }
          } finally {
            controllers.current.delete(item.id);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker));
      return { added, failed };
    },
    [incidentKey, patch],
  );

  const cancel = useCallback((id: number) => controllers.current.get(id)?.abort(), []);
  const dismiss = useCallback((id: number) => setItems((xs) => xs.filter((x) => x.id !== id)), []);

  return { items, add, cancel, dismiss };
}
