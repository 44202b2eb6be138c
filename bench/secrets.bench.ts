// Secret detection per family, on our labelled corpus (test/fixtures/secrets), dev and held-out splits, beside
// secretlint's recommended preset on the same files. The clean-tree speed figure beside secretlint is
// `tree-scan-speedup-vs-secretlint` in policy.bench.ts (same detectors, same run of `npm run bench`).
import { createPolicyEngine } from '../src/core/policy/engine';
import { buildDetectorCorpus, type LabelledFile, type Split } from '../test/fixtures/secrets/detectorCorpus';
import { lineStarts, type Span } from './fixtures/policy/scoring';
import { loadSecretlint } from './fixtures/policy/secretlintPeer';
import type { Emit } from './run';

const B = 'secrets';

interface FamilyScore {
  planted: number;
  found: number;
  detections: number;
  falseAlarms: number;
  missed: Record<string, number>;
  alarmsOn: Record<string, number>;
}

/** A file's detections: a hit overlaps the planted span; anything else in the file is a false alarm. */
export function scoreByFamily(files: readonly LabelledFile[], detect: (f: LabelledFile) => readonly Span[]): Map<string, FamilyScore> {
  const out = new Map<string, FamilyScore>();
  for (const f of files) {
    const s = out.get(f.family) ?? { planted: 0, found: 0, detections: 0, falseAlarms: 0, missed: {}, alarmsOn: {} };
    out.set(f.family, s);
    const dets = detect(f);
    const hit = (d: Span) => !!f.secret && d[0] < f.secret.end && f.secret.start < d[1];
    if (f.secret) {
      s.planted++;
      if (dets.some(hit)) s.found++;
      else s.missed[`${f.label}@${f.syntax}`] = (s.missed[`${f.label}@${f.syntax}`] ?? 0) + 1;
    }
    // Several findings on one secret count once; every other finding is a false alarm.
    const alarms = dets.filter((d) => !hit(d)).length;
    s.detections += (dets.some(hit) ? 1 : 0) + alarms;
    s.falseAlarms += alarms;
    if (alarms) s.alarmsOn[`${f.label}@${f.syntax}`] = (s.alarmsOn[`${f.label}@${f.syntax}`] ?? 0) + alarms;
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function run(emit: Emit): Promise<void> {
  const engine = createPolicyEngine({ packs: { logging: { enabled: false }, branch: { enabled: false } } });
  const ours = (f: LabelledFile): Span[] => {
    const starts = lineStarts(f.text);
    return engine.checkText(f.path, f.text).map((x) => [starts[x.range.startLine] + x.range.startColumn, starts[x.range.endLine] + x.range.endColumn] as const);
  };
  const peer = await loadSecretlint(process.cwd());
  if (!peer) emit({ bench: B, metric: 'secretlint', skipped: 'not installed' });
  for (const split of ['dev', 'heldout'] as Split[]) {
    const files = buildDetectorCorpus(split);
    const theirs = new Map<string, Span[]>();
    if (peer) for (const f of files) theirs.set(f.path, await peer.lint(`/${f.path}`, f.text));
    const tools: Array<[string, Map<string, FamilyScore>]> = [['llmgenie', scoreByFamily(files, ours)]];
    if (peer) tools.push([`secretlint ${peer.version}`, scoreByFamily(files, (f) => theirs.get(f.path) ?? [])]);
    emit({ bench: B, metric: 'corpus', split, files: files.length, positives: files.filter((f) => f.secret).length, negatives: files.filter((f) => !f.secret).length });
    for (const [tool, byFamily] of tools) {
      for (const [family, s] of [...byFamily].sort()) {
        const recall = s.planted ? round(s.found / s.planted) : 1;
        const precision = s.detections ? round((s.detections - s.falseAlarms) / s.detections) : 1;
        const mine = tool === 'llmgenie';
        emit({
          bench: B, metric: 'family', split, tool, family, recall, precision, planted: s.planted, found: s.found, falseAlarms: s.falseAlarms,
          ...(mine ? { target: 'recall>=0.95 precision>=0.97', pass: recall >= 0.95 && precision >= 0.97 } : {}),
          ...(Object.keys(s.missed).length ? { missed: s.missed } : {}),
          ...(Object.keys(s.alarmsOn).length ? { alarmsOn: s.alarmsOn } : {}),
        });
      }
      const all = [...byFamily.values()].reduce((a, s) => ({ planted: a.planted + s.planted, found: a.found + s.found, det: a.det + s.detections, fa: a.fa + s.falseAlarms }), { planted: 0, found: 0, det: 0, fa: 0 });
      emit({ bench: B, metric: 'overall', split, tool, recall: round(all.found / all.planted), precision: all.det ? round((all.det - all.fa) / all.det) : 1, planted: all.planted, falseAlarms: all.fa });
    }
  }
}
