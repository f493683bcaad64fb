import { describe, expect, it } from 'vitest';
import { diffModelMetadataTexts, findFeatureList } from '../../shared/diff/modelmeta';
import { parseJsonTree } from '../../shared/diff/config';

const FEATURES = ['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare', 'Embarked'];
const meta = (over: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      model_name: 'titanic-gbm',
      model_version: '1.4.0',
      target: 'Survived',
      feature_order: FEATURES,
      scaler: {
        type: 'StandardScaler',
        mean: [2.31, 0.35, 29.7, 0.52, 0.38, 32.2, 1.54],
        scale: [0.84, 0.48, 14.5, 1.1, 0.81, 49.7, 0.79],
      },
      threshold: 0.5,
      ...over,
    },
    null,
    2,
  );

describe('model metadata diff', () => {
  it('identical content with different key order: no semantic change', () => {
    const a = meta();
    const b = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(a)).reverse()), null, 2);
    const r = diffModelMetadataTexts(a, b);
    expect(r.changes).toEqual([]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('feature_order swap at positions 3–4 (0-based) is critical, serving-side skew', () => {
    const swapped = [...FEATURES];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    const after = meta({ feature_order: swapped });
    const r = diffModelMetadataTexts(meta(), after);
    const order = r.changes.filter((c) => c.kind === 'model.feature-order-changed');
    expect(order).toHaveLength(1);
    expect(order[0]).toMatchObject({ severity: 'critical', failureClass: 'serving', before: '[SibSp,Parch]', after: '[Parch,SibSp]' });
    expect(order[0].message).toBe('feature_order differs at positions 3–4: [SibSp,Parch] → [Parch,SibSp]');
    expect(order[0].params).toMatchObject({ start: 3, end: 4, indexBase: 0 });
    expect(after.split('\n')[order[0].lineAfter! - 1]).toContain('"Parch"');
    // The scaler arrays were not reordered with the features: by feature name, SibSp and Parch now get each other's values.
    const scaler = r.changes.filter((c) => c.kind === 'model.scaler-param-changed');
    expect(scaler.map((c) => c.subject).sort()).toEqual(['scaler.mean[Parch]', 'scaler.mean[SibSp]', 'scaler.scale[Parch]', 'scaler.scale[SibSp]']);
  });

  it('features added and removed', () => {
    const r = diffModelMetadataTexts(
      meta({ scaler: undefined }),
      meta({ feature_order: ['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare', 'Cabin', 'Title'], scaler: undefined }),
    );
    const removed = r.changes.find((c) => c.kind === 'model.feature-removed')!;
    expect(removed).toMatchObject({ subject: 'Embarked', severity: 'critical', failureClass: 'serving' });
    expect(removed.message).toBe('feature Embarked removed from feature_order (was position 6)');
    expect(r.changes.filter((c) => c.kind === 'model.feature-added').map((c) => c.subject)).toEqual(['Cabin', 'Title']);
    expect(r.changes.find((c) => c.kind === 'model.feature-count-changed')).toMatchObject({ before: 7, after: 8 });
    expect(r.changes.some((c) => c.kind === 'model.feature-order-changed')).toBe(false);
  });

  it('scaler parameter deltas per feature, with relative change and severity', () => {
    const r = diffModelMetadataTexts(
      meta(),
      meta({
        scaler: {
          type: 'StandardScaler',
          mean: [2.31, 0.35, 38.1, 0.52, 0.38, 32.2, 1.54],
          scale: [0.84, 0.48, 14.5, 1.1, 0.81, 49.7001, 0.79],
        },
      }),
    );
    const age = r.changes.find((c) => c.subject === 'scaler.mean[Age]')!;
    expect(age).toMatchObject({ kind: 'model.scaler-param-changed', severity: 'warning', before: 29.7, after: 38.1, failureClass: 'training' });
    expect(age.message).toBe('scaler.mean[Age] 29.7 → 38.1 (+28.3%)');
    expect(r.changes.find((c) => c.subject === 'scaler.scale[Fare]')).toMatchObject({ severity: 'info' });
    expect(r.changes).toHaveLength(2);
  });

  it('scaler arrays of a different length are a shape change', () => {
    const r = diffModelMetadataTexts(meta(), meta({ scaler: { type: 'StandardScaler', mean: [1, 2], scale: [0.84, 0.48, 14.5, 1.1, 0.81, 49.7, 0.79] } }));
    expect(r.changes.find((c) => c.kind === 'model.scaler-shape-changed')).toMatchObject({ severity: 'critical', before: 7, after: 2 });
  });

  it('per-feature normalisation maps and other fields', () => {
    const a = JSON.stringify({ features: [{ name: 'x', dtype: 'float64' }, { name: 'y', dtype: 'int64' }], normalization: { x: { mean: 1, std: 2 } }, model_version: '1' }, null, 2);
    const b = JSON.stringify({ features: [{ name: 'x', dtype: 'float32' }, { name: 'y', dtype: 'int64' }], normalization: { x: { mean: 3, std: 2 } }, model_version: '2' }, null, 2);
    const r = diffModelMetadataTexts(a, b);
    expect(r.changes.find((c) => c.subject === 'normalization.x.mean')).toMatchObject({ severity: 'critical', before: 1, after: 3 });
    expect(r.changes.find((c) => c.subject === 'features[x].dtype')).toMatchObject({ before: 'float64', after: 'float32', failureClass: 'serving' });
    expect(r.changes.find((c) => c.subject === 'model_version')).toMatchObject({ kind: 'config.changed', failureClass: 'training' });
    expect(r.changes).toHaveLength(3);
  });

  it('finds feature lists nested one level down', () => {
    const t = parseJsonTree(JSON.stringify({ preprocessing: { feature_names: ['a', 'b'] } }));
    expect(findFeatureList(t.root!)?.names).toEqual(['a', 'b']);
  });

  it('malformed JSON: problem with line/column and a text diff', () => {
    const r = diffModelMetadataTexts(meta(), meta().replace('"threshold": 0.5', '"threshold": 0.5,'));
    expect(r.problems[0]).toMatchObject({ side: 'after' });
    expect(r.problems[0].line).toBeGreaterThan(1);
    expect(r.changes.every((c) => c.kind.startsWith('text.'))).toBe(true);
  });
});
