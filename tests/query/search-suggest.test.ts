import { describe, expect, it } from 'vitest';
import { closestKey, editDistance, unknownKeys } from '../../renderer/src/components/search/no-match.js';
import { applySuggestion, suggestionsAt, valueFieldAt } from '../../renderer/src/components/search/query-suggest.js';

const KEYS = { paramKeys: ['lr', 'hidden', 'dropout'], metricKeys: ['val_acc', 'val_loss', 'loss/train'], tagKeys: ['mlflow.runName'] };

describe('search box suggestions', () => {
  it('offers field prefixes, then the keys of that kind, prefix matches first', () => {
    expect(suggestionsAt('par', 3, KEYS).options.map((o) => o.label)).toEqual(['params.']);
    expect(suggestionsAt('metrics.val_l', 13, KEYS).options.map((o) => o.label)).toEqual(['metrics.val_loss']);
    expect(suggestionsAt('metrics.loss', 12, KEYS).options.map((o) => o.label)).toEqual(['metrics.loss/train', 'metrics.val_loss']);
    expect(suggestionsAt('lr > 1 and params.', 18, KEYS).options.map((o) => o.label)).toEqual(['params.lr', 'params.hidden', 'params.dropout']);
    expect(suggestionsAt('resnet', 6, KEYS).options).toEqual([]);
  });

  it('offers statuses after status =, quoted', () => {
    const { token, options } = suggestionsAt("status = 'FA", 12, KEYS);
    expect(options.map((o) => o.label)).toEqual(['FAILED']);
    expect(applySuggestion("status = 'FA", token, options[0]).text).toBe("status = 'FAILED' ");
  });

  it('offers seen values after a param or tag comparison, quoted', () => {
    expect(valueFieldAt('params.hidden = ', 16)).toEqual({ field: 'params', key: 'hidden', quote: '' });
    expect(valueFieldAt("tags.mlflow.runName != 'ab", 26)).toEqual({ field: 'tags', key: 'mlflow.runName', quote: "'" });
    expect(valueFieldAt("params.opt IN ('adam', 's", 25)).toEqual({ field: 'params', key: 'opt', quote: "'" });
    expect(valueFieldAt('params.hidden', 13)).toBeNull();
    const { token, options } = suggestionsAt('params.hidden = 3', 17, KEYS, ['64', '32', "o'k"]);
    expect(options.map((o) => o.insert)).toEqual(["'32'"]);
    expect(applySuggestion('params.hidden = 3', token, options[0]).text).toBe("params.hidden = '32' ");
    expect(suggestionsAt('params.x = ', 11, KEYS, ["o'k"]).options[0].insert).toBe("'o''k'");
  });

  it('replaces only the token at the cursor', () => {
    const text = 'metrics.val_l > 0.5';
    const { token, options } = suggestionsAt(text, 13, KEYS);
    expect(applySuggestion(text, token, options[0])).toEqual({ text: 'metrics.val_loss > 0.5', cursor: 16 });
  });
});

describe('no-match explanation', () => {
  it('names keys no run has, with the nearest known key', () => {
    expect(editDistance('val_los', 'val_loss')).toBe(1);
    expect(closestKey('val_los', KEYS.metricKeys)).toBe('val_loss');
    expect(unknownKeys('metrics.val_los > 0 and params.lr < 1 and tags.team = "a"', KEYS)).toEqual([
      { term: 'metrics.val_los', kind: 'metrics', key: 'val_los', suggestion: 'metrics.val_loss' },
      { term: 'tags.team', kind: 'tags', key: 'team', suggestion: null },
    ]);
    expect(unknownKeys('metrics.val_loss:min < 1 and params.`lr` > 0', KEYS)).toEqual([]);
  });
});
