// Why a package passed or failed, in words for the score ring: a red FAILED at 87/100 with a minimum of 70 needs
// its reason (an error-level gap fails a package at any score) said where the score is.
import { count } from '../text/plural';

export function verdictReason(m: { passed: boolean; score: number; minScore: number; errors: number }): string {
  const gaps = count(m.errors, 'error-level gap');
  if (m.passed) return `Passed: ${m.score} is at least the minimum ${m.minScore} and there are no error-level gaps.`;
  if (m.score >= m.minScore) return `Failed although ${m.score} is above the minimum ${m.minScore}: ${gaps} ${m.errors === 1 ? 'fails' : 'fail'} a package at any score. Fix ${m.errors === 1 ? 'it' : 'them'} to pass.`;
  if (m.errors) return `Failed: ${m.score} is below the minimum ${m.minScore}, and ${gaps} ${m.errors === 1 ? 'fails' : 'fail'} it at any score.`;
  return `Failed: ${m.score} is below the minimum ${m.minScore}.`;
}
