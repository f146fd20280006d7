// band scaled a regimen written with a rate at a fixed infusion length (the rate × D/ref), while
// pta of the same file at the band dose keeps the written rate: amikacin 1000 mg at 1000 mg/h q24h,
// peak/mic:8:8, band put 2500 mg at 99.1 % in target (a 1-h infusion, typical Cmax 108.8 mg/L)
// where pta of 2500 mg at 1000 mg/h gives 84.3 % (2.5 h, 77.9). A band dose now keeps the rate as
// pta does: a target its infusion's length changes is refused, AUC at steady state is unchanged.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, quick, vanco } from './design-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-band-rate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const regimen = (name: string, dose: Record<string, number>): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify({ doses: [{ time: 0, cmt: 1, ii: 12, ss: 1, addl: 1, ...dose }], observe: [{ grid: { from: 0, to: 24, step: 0.05 } }] }));
  return p;
};
const rate1000 = regimen('rate1000.json', { amt: 1000, rate: 500 });
const band = (reg: string, target: string) => ['band', ...vanco, '--regimen', reg, '--target', target, '--by', 'CRCL', '--bands', '1', '--doses', '1000,2000', '--json', ...quick];

describe('band of a regimen written with a rate', () => {
  it('a trough or peak/MIC target is refused, naming the dose, its rate and the fix (it ran at a 2-h infusion of 2000)', async () => {
    await expect(cli(band(rate1000, 'trough:10:20'))).rejects.toThrow(/^regimen: the dose of 1000 at 0 h is written with a rate \(500 per h\): a band dose keeps that rate and runs longer, as pta reads it, so its trough:10:20 is not the reference dose's scaled.*Write the infusion with its duration \(dur\) in a regimen JSON, which a band dose keeps: \{"doses": \[\{"time": 0, "amt": 1000, "dur": 2, "cmt": 1, "ii": 12, "addl": 1, "ss": 1\}\], \.\.\.\}/);
    await expect(cli(band(rate1000, 'peak/mic:2:8'))).rejects.toThrow(/peak\/mic:2:8 is not the reference dose's scaled/);
  }, 60_000);

  // ba2cad7 told a CSV regimen (RATE column) to 'write the infusion with its duration (dur)', which
  // the CSV reader refuses ('give RATE = AMT/DUR'): the messages pointed at each other
  it('an NM-TRAN CSV regimen: the refusal gives the regimen JSON with dur to write instead, and AUC/Cavg at steady state; pta runs it', async () => {
    const csv = join(tmp, 'ratecol.csv');
    writeFileSync(csv, 'ID,TIME,AMT,RATE,CMT,EVID,MDV,DV,ADDL,II\n1,0,1000,1000,1,1,1,.,5,12\n1,72,0,.,1,0,0,.,.,.\n');
    const refused = cli(band(csv, 'trough:10:20'));
    await expect(refused).rejects.toThrow(
      'Write the infusion with its duration (dur) in a regimen JSON, which a band dose keeps: {"doses": [{"time": 0, "amt": 1000, "dur": 1, "cmt": 1, "ii": 12, "addl": 5}], ...} (a CSV regimen cannot: its RATE is the pump\'s rate, and it takes no DUR column); or target AUC or Cavg (exact with the doses at steady state, SS = 1)',
    );
    await expect(refused).rejects.not.toThrow(/Write the infusion with its duration \(dur\), which/);
    // pta keeps the written rate: no refusal, the trough judged on the last interval
    const p = JSON.parse(await cli(['pta', ...vanco, '--regimens', csv, '--target', 'trough:10:20', '--json', ...quick])) as { regimens: { overall: { pta: number } }[] };
    expect(p.regimens[0]!.overall.pta).toBeGreaterThanOrEqual(0);
    // the shape it gives runs
    const shaped = join(tmp, 'shaped.json');
    writeFileSync(shaped, JSON.stringify({ doses: [{ time: 0, amt: 1000, dur: 1, cmt: 1, ii: 12, addl: 5 }], observe: [{ times: [72] }] }));
    expect((JSON.parse(await cli(band(shaped, 'trough:10:20'))) as { byDose: unknown[] }).byDose).toHaveLength(2);
  }, 60_000);

  it('AUC24 at steady state: band\'s 2000 mg in target is pta\'s of 2000 mg at 500 mg/h (4 h)', async () => {
    const j = JSON.parse(await cli(band(rate1000, 'auc24:400:600'))) as { byDose: { dose: number; fracIn: number }[] };
    const pta = JSON.parse(await cli(['pta', ...vanco, '--regimens', regimen('rate2000.json', { amt: 2000, rate: 500 }), '--target', 'auc24:400:600', '--json', ...quick])) as { regimens: { overall: { pta: number } }[] };
    expect(j.byDose.find((d) => d.dose === 2000)?.fracIn).toBeCloseTo(pta.regimens[0]!.overall.pta, 12);
  }, 60_000);

  it('without SS = 1 an AUC target is warned (W_RATE_SCALED) in the result; a regimen written with dur runs any target', async () => {
    const noss = JSON.parse(await cli(band(regimen('rate-noss.json', { amt: 1000, rate: 500, ss: 0 }), 'auc24:400:600'))) as { warnings: string[] };
    expect(noss.warnings.filter((w) => !w.startsWith('W_COVARIATE_DEFAULT: DIAL'))).toEqual([expect.stringMatching(/^W_RATE_SCALED: the dose of 1000 at 0 h is written with a rate \(500 per h\).*exact at steady state \(SS = 1\) only.*Give the doses at steady state \(SS = 1\), or write the infusion with its duration \(dur\) in a regimen JSON/)]);
    const j = JSON.parse(await cli(band(regimen('dur.json', { amt: 1000, dur: 2 }), 'trough:10:20'))) as { byDose: unknown[] };
    expect(j.byDose).toHaveLength(2);
  }, 60_000);
});
