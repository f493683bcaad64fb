// The capture container (issue 13): a zip file (`.pmwcap`) whose first entry is `manifest.json`.
// `pmw capture` writes it (main/cli/capture.ts); adding it to an incident expands it into one artifact
// per part (main/services/captureIngest.ts), each with a stable label, so two captures pair part by part.
// Pure TypeScript (fflate is pure JavaScript).
import { strFromU8, unzipSync } from 'fflate';
import { ARTIFACT_KINDS, type ArtifactKind } from '../diff/types';

export const CAPTURE_FORMAT = 'pmw-capture';
/** Bump when the manifest's meaning changes; readers refuse a newer major version. */
export const CAPTURE_VERSION = 1;
export const FINGERPRINT_FORMAT = 'pmw-env-fingerprint';
export const MANIFEST_NAME = 'manifest.json';

export type CapturePartStatus = 'ok' | 'missing';

export interface CapturePart {
  /** Stable id: "environment", "python-packages", "env", "git", "image", "file:poetry.lock", "include:model/meta.json". */
  id: string;
  /** The artifact label given on ingest ("capture: python packages"); the same in every capture. */
  label: string;
  /** Entry in the zip (null when missing). */
  path: string | null;
  /** The artifact kind to give it (detected when absent). */
  kind?: ArtifactKind;
  status: CapturePartStatus;
  /** Why a part could not be collected ("nvidia-smi not on PATH"). */
  reason?: string;
  size?: number;
  /** Secret values masked at the source in this part. */
  masked?: number;
}

export interface CaptureManifest {
  format: typeof CAPTURE_FORMAT;
  version: number;
  createdAt: string;
  tool: { name: string; version: string };
  /** The folder captured (absolute path on the captured host). */
  dir: string;
  host: { hostname: string; platform: string; arch: string };
  /** How long the capture took. */
  elapsedMs: number;
  parts: CapturePart[];
}

/** Labels are what pair two captures; keep them stable. */
export function partLabel(id: string): string {
  const l = `capture: ${id.replace(/^file:/, 'file ').replace(/^include:/, 'include ').replace(/-/g, ' ')}`;
  return l.length > 120 ? `${l.slice(0, 60)}…${l.slice(-59)}` : l;
}

const u8 = (b: Uint8Array, i: number) => b[i] ?? 0;

/**
 * Cheap sniff: a zip whose first local entry is manifest.json (how `pmw capture` writes it). The
 * manifest itself is checked by readCapture.
 */
export function looksLikeCapture(head: Uint8Array): boolean {
  if (head.length < 30 + MANIFEST_NAME.length) return false;
  if (!(u8(head, 0) === 0x50 && u8(head, 1) === 0x4b && u8(head, 2) === 3 && u8(head, 3) === 4)) return false;
  const nameLen = u8(head, 26) | (u8(head, 27) << 8);
  if (nameLen !== MANIFEST_NAME.length) return false;
  let name = '';
  for (let i = 0; i < nameLen; i++) name += String.fromCharCode(u8(head, 30 + i));
  return name === MANIFEST_NAME;
}

export interface ReadCapture {
  manifest: CaptureManifest;
  /** Entry bytes by path. */
  files: Record<string, Uint8Array>;
}

/** Unzip and check a capture; throws an Error naming what is wrong. */
export function readCapture(bytes: Uint8Array, maxEntryBytes = 256 * 1024 * 1024): ReadCapture {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.originalSize > maxEntryBytes) throw new Error(`entry ${f.name} is over the ${maxEntryBytes} byte limit`);
        return true;
      },
    });
  } catch (e) {
    throw new Error(`not a readable capture (zip): ${(e as Error).message}`);
  }
  const raw = files[MANIFEST_NAME];
  if (!raw) throw new Error(`not a capture: no ${MANIFEST_NAME}`);
  let m: unknown;
  try {
    m = JSON.parse(strFromU8(raw));
  } catch (e) {
    throw new Error(`${MANIFEST_NAME} is not JSON: ${(e as Error).message}`);
  }
  const o = m as Partial<CaptureManifest>;
  if (!o || o.format !== CAPTURE_FORMAT) throw new Error(`${MANIFEST_NAME}: format must be "${CAPTURE_FORMAT}"`);
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) throw new Error(`${MANIFEST_NAME}: version must be a positive integer`);
  if (o.version > CAPTURE_VERSION) throw new Error(`${MANIFEST_NAME}: capture format version ${o.version} is newer than this workbench reads (${CAPTURE_VERSION}); upgrade pmw`);
  if (!Array.isArray(o.parts)) throw new Error(`${MANIFEST_NAME}: parts must be a list`);
  o.parts.forEach((p, i) => {
    if (!p || typeof p.id !== 'string' || typeof p.label !== 'string') throw new Error(`${MANIFEST_NAME}: parts[${i}] needs an id and a label`);
    if (p.status === 'ok' && (typeof p.path !== 'string' || !files[p.path])) throw new Error(`${MANIFEST_NAME}: parts[${i}] (${p.id}) names ${String(p.path)}, which is not in the zip`);
    if (p.kind !== undefined && !(ARTIFACT_KINDS as readonly string[]).includes(p.kind)) throw new Error(`${MANIFEST_NAME}: parts[${i}].kind "${String(p.kind)}" is not a known kind`);
  });
  return { manifest: o as CaptureManifest, files };
}
