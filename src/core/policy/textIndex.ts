import { createHash } from 'node:crypto';
import type { TextRange } from './types';

/** Offset ↔ line/column for one text; line starts are computed on first use, since most texts have no finding. */
export class TextIndex {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  get lineStarts(): number[] {
    if (!this.starts) {
      const s = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) s.push(i + 1);
      this.starts = s;
    }
    return this.starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineOf(offset: number): number {
    const s = this.lineStarts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  range(start: number, end: number): TextRange {
    const a = this.lineOf(start);
    const b = end <= start ? a : this.lineOf(end);
    const s = this.lineStarts;
    return { startLine: a, startColumn: start - s[a], endLine: b, endColumn: end - s[b] };
  }

  /** Text of a line without its line break. */
  lineText(line: number): string {
    const s = this.lineStarts;
    if (line < 0 || line >= s.length) return '';
    const end = line + 1 < s.length ? s[line + 1] - 1 : this.text.length;
    const raw = this.text.slice(s[line], end);
    return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  }

  /** Length of a line including its line break, without slicing it. */
  lineLength(line: number): number {
    const s = this.lineStarts;
    return (line + 1 < s.length ? s[line + 1] : this.text.length) - s[line];
  }

  lineStart(line: number): number {
    return this.lineStarts[line] ?? this.text.length;
  }
}

/**
 * Identifies a finding by what it is about, not where, so accepted findings stay accepted when lines move.
 * For secrets `content` is the secret, but only its hash leaves this function.
 */
export function fingerprint(ruleId: string, file: string, content: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${content}`).digest('hex').slice(0, 32);
}
