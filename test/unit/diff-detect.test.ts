import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, detectKind, firstInvalidUtf8, locateJsonError } from '../../shared/diff/detect';

const enc = (s: string) => new TextEncoder().encode(s);
const REAL = join(__dirname, '..', 'fixtures', 'real');

describe('detectKind', () => {
  it('by name', () => {
    expect(detectKind('poetry.lock', enc('[[package]]\nname = "a"\n'))).toBe('poetry-lock');
    expect(detectKind('requirements-dev.txt', enc('numpy\n'))).toBe('requirements');
    expect(detectKind('deploy/package-lock.json', enc('{"lockfileVersion":3,"packages":{}}'))).toBe('package-lock');
    expect(detectKind('data.tsv', enc('a\tb\n'))).toBe('csv');
    expect(detectKind('train.csv', enc('a,b\n1,2\n'))).toBe('csv');
    expect(detectKind('app.log', enc('hello\n'))).toBe('log');
    expect(detectKind('.env', enc('A=1\n'))).toBe('env');
    expect(detectKind('prod.env', enc('A=1\n'))).toBe('env');
    expect(detectKind('empty.json', new Uint8Array())).toBe('json');
  });

  it('real fixtures', () => {
    const f = (p: string) => readFileSync(join(REAL, p));
    expect(detectKind('whisper-requirements-ad3250a8.txt', f('deps/whisper-requirements-ad3250a8.txt'))).toBe('requirements');
    expect(detectKind('nannyml-poetry-e8623af8.lock', f('deps/nannyml-poetry-e8623af8.lock'))).toBe('poetry-lock'); // sniffed
    expect(detectKind('poetry.lock', f('deps/nannyml-poetry-e8623af8.lock'))).toBe('poetry-lock');
    // a Kubernetes manifest is labelled as one, not as generic YAML
    expect(detectKind('vllm-deployment-a0ed769c.yaml', f('k8s/vllm-deployment-a0ed769c.yaml'))).toBe('kubernetes');
    expect(detectKind('guestbook-frontend-deployment-f4f8f146.yaml', f('k8s/guestbook-frontend-deployment-f4f8f146.yaml'))).toBe('kubernetes');
  });

  it('by content', () => {
    expect(detectKind('freeze', enc('numpy==1.26.4\npandas==2.2.3\ntorch==2.3.0\n'))).toBe('requirements');
    expect(detectKind('x.txt', enc('# platform: linux-64\nnumpy=1.24.4=py310h_0\nmkl=2023.1.0=h_0\n'))).toBe('conda-env');
    expect(detectKind('environment.yml', enc('name: x\nchannels:\n  - conda-forge\ndependencies:\n  - numpy=1.24\n'))).toBe('conda-env');
    expect(detectKind('other.yaml', enc('apiVersion: v1\nkind: Service\n'))).toBe('kubernetes');
    expect(detectKind('svc.json', enc('{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}'))).toBe('kubernetes');
    expect(detectKind('app.yaml', enc('kind: fruit\napiVersion: banana\n'))).toBe('yaml');
    expect(detectKind('runtime', enc('export OMP_NUM_THREADS=4\nPATH=/bin\n# c\nHOME=/root\n'))).toBe('env');
    expect(detectKind('images.txt', enc(`vllm/vllm-openai:v0.11.0\nghcr.io/org/app@sha256:${'a'.repeat(64)}\n`))).toBe('image-ref');
    expect(detectKind('Dockerfile.images', enc('FROM python:3.11-slim AS base\n'))).toBe('image-ref');
    expect(detectKind('server-output', enc('2024-05-01T10:00:00Z INFO start\n2024-05-01T10:00:01Z ERROR boom\n'))).toBe('log');
    expect(detectKind('notes.txt', enc('hello\nworld\n'))).toBe('text');
    expect(detectKind('README', enc('This is a readme.\nIt has: colons.\n'))).toBe('text');
  });

  it('JSON flavours', () => {
    expect(detectKind('model.json', enc('{"feature_order": ["a","b"], "scaler": {"mean": [1,2]}}'))).toBe('model-metadata');
    expect(detectKind('meta.json', enc('{"model_version": "1", "feature_names": ["a"]}'))).toBe('model-metadata');
    expect(detectKind('schema.json', enc('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"a": {"type": "string"}}}'))).toBe('schema');
    expect(detectKind('dtypes.json', enc('{"age": "int64", "fare": "float64", "name": "object", "ts": "datetime64[ns]"}'))).toBe('schema');
    expect(detectKind('config.json', enc('{"learning_rate": 0.1, "name": "x"}'))).toBe('json');
    expect(detectKind('broken.json', enc('{"a": '))).toBe('json');
    expect(detectKind('noext', enc('{"a": 1}'))).toBe('json');
  });

  it('binary and parquet', () => {
    expect(detectKind('x.parquet', enc('PAR1\u0000\u0000rest'))).toBe('parquet');
    expect(detectKind('data', enc('PAR1\u0000\u0000rest'))).toBe('parquet');
    expect(detectKind('model.bin', new Uint8Array([1, 2, 0, 4, 5]))).toBe('binary');
    expect(detectKind('model.pkl', new Uint8Array([0x80, 0x04, 0x95, 0x10]))).toBe('binary');
    expect(detectKind('a.gz', new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('binary');
    // A few invalid bytes in text stay text.
    expect(detectKind('notes.txt', new Uint8Array([...enc('hello '), 0xff, ...enc(' world\n')]))).toBe('text');
  });
});

describe('decodeText', () => {
  it('strips a UTF-8 BOM and decodes UTF-16', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ text: 'a', problems: [], bom: 'utf-8' });
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00])).text).toBe('a');
    expect(decodeText(new Uint8Array([0xfe, 0xff, 0x00, 0x61])).text).toBe('a');
  });

  it('invalid UTF-8: replacement characters and a warning with offset, line and column', () => {
    const bytes = new Uint8Array([...enc('ok\nab'), 0xc3, 0x28, ...enc('cd\n')]);
    const d = decodeText(bytes);
    expect(d.text).toBe('ok\nab\uFFFD(cd\n');
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({ line: 2, column: 3 });
    expect(d.problems[0].message).toBe('invalid UTF-8 at byte offset 5 (line 2, column 3, byte 0xc3); invalid sequences are shown as \uFFFD');
  });

  it('firstInvalidUtf8 handles overlongs, surrogates and truncation', () => {
    expect(firstInvalidUtf8(enc('héllo €𝄞'))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1); // truncated
  });

  it('locates JSON errors', () => {
    expect(locateJsonError('{"a": [1, 2]}')).toBeNull();
    expect(locateJsonError('{"a": 1,}')).toMatchObject({ offset: 8 });
    expect(locateJsonError('[1 2]')).toMatchObject({ offset: 3, message: "unexpected '2' (expected ',' or ']')" });
    expect(locateJsonError('{"a": tru}')).toMatchObject({ offset: 6 });
    expect(locateJsonError('{"a": "x')).toMatchObject({ message: 'unterminated string' });
  });
});
