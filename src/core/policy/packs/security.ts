import { z } from 'zod';
import { maskSecret } from '../redact';
import { scanSecrets, SECRET_KIND_TITLES } from '../secrets/scanSecrets';
import { fingerprint, type TextIndex } from '../textIndex';
import type { Finding, Severity } from '../types';

export const SECURITY_RULE_ID = '400';

export const securityOptionsSchema = z
  .object({
    /** Secret kinds to ignore, e.g. ["jwt"]. */
    disabledKinds: z.array(z.string()).optional(),
  })
  .strict();
export type SecurityOptions = z.infer<typeof securityOptionsSchema>;

/** Files where `NAME=value` without quotes is a literal value rather than an expression. */
const UNQUOTED_VALUE_FILES =
  /\.(?:env|ya?ml|ini|cfg|conf|properties|toml|sh|bash|zsh|txt|md|tf|tfvars|npmrc|pypirc|netrc|xml|gradle|mk|mak|bat|cmd)$|(?:^|\/)(?:\.env(?:\.[^/]*)?|\.npmrc|\.netrc|\.pypirc|Dockerfile|docker-compose[^/]*|[^/.]+)$/i;

export interface SecurityPack {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  check(relPath: string, index: TextIndex): Finding[];
}

export function createSecurityPack(ruleId: string, ruleName: string, severity: Severity, options: SecurityOptions): SecurityPack {
  const disabled = new Set(options.disabledKinds ?? []);
  return {
    ruleId,
    ruleName,
    severity,
    check(relPath, index) {
      const matches = scanSecrets(index.text, { unquotedValues: UNQUOTED_VALUE_FILES.test(relPath) });
      const out: Finding[] = [];
      for (const m of matches) {
        if (disabled.has(m.kind)) continue;
        out.push({
          ruleId,
          ruleName,
          severity,
          file: relPath,
          range: index.range(m.rangeStart, m.rangeEnd),
          message: `${SECRET_KIND_TITLES[m.kind] ?? m.title} in source (${maskSecret(m.value)}): move it to a secret store or environment variable and rotate it`,
          fingerprint: fingerprint(ruleId, relPath, m.value),
          kind: m.kind,
        });
      }
      return out;
    },
  };
}
