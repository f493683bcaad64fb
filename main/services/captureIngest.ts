// Ingest of a capture file (issue 13): a `.pmwcap` added to an incident (drop, picker, upload,
// `pmw artifact add`) is expanded into one artifact per collected part, labelled by the part
// ("capture: python packages", "capture: environment", "capture: file poetry.lock"), so the
// last-known-good capture and the failing one pair part by part (shared/artifacts proposePairs pairs
// equal labels first). The container itself is not kept: its parts are.
import { ApiError } from '../../shared/api/errors';
import { looksLikeCapture, readCapture, type CaptureManifest } from '../../shared/capture/manifest';
import type { ArtifactKind } from '../../shared/diff/types';
import { sanitizeFileName } from '../../shared/limits';

export interface ExpandedPart {
  name: string;
  label: string;
  kind?: ArtifactKind;
  bytes: Uint8Array;
}

export interface ExpandedCapture {
  manifest: CaptureManifest;
  parts: ExpandedPart[];
  missing: { id: string; reason: string }[];
}

export { looksLikeCapture };

/** Stable, readable artifact names per part. */
function nameOf(id: string, path: string): string {
  if (id.startsWith('file:') || id.startsWith('include:')) return sanitizeFileName(path.split('/').pop() ?? path, 'file');
  const ext = path.includes('.') ? path.slice(path.lastIndexOf('.')) : '';
  return sanitizeFileName(`${id}${ext}`, 'part');
}

/** The parts of a capture file; throws VALIDATION naming the file and what is wrong. */
export function expandCapture(bytes: Uint8Array, fileName: string): ExpandedCapture {
  let read;
  try {
    read = readCapture(bytes);
  } catch (e) {
    throw new ApiError('VALIDATION', `${fileName}: ${(e as Error).message}`, { issues: [{ field: 'path', message: (e as Error).message }] });
  }
  const parts: ExpandedPart[] = [];
  const missing: ExpandedCapture['missing'] = [];
  for (const p of read.manifest.parts) {
    if (p.status !== 'ok' || !p.path) {
      missing.push({ id: p.id, reason: p.reason ?? 'not collected' });
      continue;
    }
    parts.push({ name: nameOf(p.id, p.path), label: p.label, ...(p.kind ? { kind: p.kind } : {}), bytes: read.files[p.path] });
  }
  if (!parts.length) throw new ApiError('VALIDATION', `${fileName}: the capture holds no collected part`, { issues: [{ field: 'path', message: 'empty capture' }] });
  return { manifest: read.manifest, parts, missing };
}
