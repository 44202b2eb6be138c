/**
 * The detector catalogue: one entry per provider token format, as data. Shapes follow each provider's published
 * format (prefix, alphabet, length); `compileCatalogue` (detectors.ts) turns the entries into regexes once.
 *
 * - `keywords`: literal text every match starts with, used to gate the entry cheaply: the scanner's single trigger
 *   pass fires an entry only when it stopped in a token starting with one of them (see scanSecrets). A value under
 *   a secret-looking name is also judged by the entry whose keyword it starts with (`knownFormat`).
 * - `shape`: regex source of the token, without boundaries (added at compile time) unless `bounded`.
 * - `entropy`: floor in bits per character on the body (the token minus its keyword prefix).
 * - `allow`: published example values that are public by design.
 */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  /** The documented format, in words. */
  readonly description: string;
  readonly keywords: readonly string[];
  readonly shape: string;
  readonly entropy: number;
  readonly allow?: readonly string[];
  /** The shape sets its own boundaries (e.g. a URL, a key=value pair). */
  readonly bounded?: boolean;
  /** The secret is this named group of the shape, not the whole match. */
  readonly group?: string;
  /** A body of one character class (hex, digits) is expected; skip the two-classes check. */
  readonly oneClass?: boolean;
}

const B64URL = '[A-Za-z0-9_-]';
const B64 = '[A-Za-z0-9+/]';

export const CATALOGUE: readonly CatalogueEntry[] = [
  // Cloud providers
  { id: 'aws-access-key-id', title: 'AWS access key ID', description: 'AKIA (long-term) / ASIA (STS) / ABIA / ACCA / A3T… + 16 upper-case base32', keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'], shape: '(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}', entropy: 3, oneClass: true, allow: ['AKIAIOSFODNN7EXAMPLE'] },
  { id: 'aws-secret-access-key', title: 'AWS secret access key', description: '40 base64 characters beside an access key ID (credentials files, console CSV export)', keywords: ['AKIA', 'ASIA'], shape: `(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}["']?(?:[ \\t]*[,:;|][ \\t]*|[ \\t]+)["']?(?<secret>${B64}{40})(?![A-Za-z0-9+/=])`, bounded: true, group: 'secret', entropy: 4, allow: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'] },
  { id: 'aws-session-token', title: 'AWS session token', description: 'STS session token: base64 of a serialized blob, starting IQoJb3JpZ2lu ("\\x02\\n\\torigin"), FwoGZXIvYXdz or AQoDYXdz', keywords: ['IQoJb3JpZ2lu', 'FwoGZXIvYXdz', 'AQoDYXdz'], shape: `(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|AQoDYXdz)${B64}{100,2000}={0,2}`, entropy: 4.5 },
  { id: 'gcp-api-key', title: 'Google API key', description: 'AIza + 35 base64url characters', keywords: ['AIza'], shape: `AIza${B64URL}{35}`, entropy: 3.5 },
  { id: 'google-oauth-client-secret', title: 'Google OAuth client secret', description: 'GOCSPX- + 28 base64url characters', keywords: ['GOCSPX-'], shape: `GOCSPX-${B64URL}{28}`, entropy: 3.5 },
  { id: 'google-oauth-token', title: 'Google OAuth token', description: 'access token ya29. + base64url; refresh token 1//0 + base64url', keywords: ['ya29.', '1//0'], shape: `(?:ya29\\.${B64URL}{60,400}|1//0${B64URL}{60,200})`, entropy: 4 },
  { id: 'azure-ad-client-secret', title: 'Azure AD (Entra ID) client secret', description: '3 characters, a digit, "Q~", then 31–34 of [A-Za-z0-9_~.-] (40 in all)', keywords: ['Q~'], shape: '[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}', entropy: 3.8 },
  { id: 'azure-storage-key', title: 'Azure storage account key', description: 'AccountKey= + 88 base64 characters in a storage connection string', keywords: ['AccountKey='], shape: `AccountKey=(?<secret>${B64}{86}==)`, bounded: true, group: 'secret', entropy: 4, allow: ['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='] },
  { id: 'azure-connection-string', title: 'Azure shared access key', description: 'SharedAccessKey= + 44 base64 characters (Service Bus, Event Hubs, IoT Hub connection strings)', keywords: ['SharedAccessKey='], shape: `SharedAccessKey=(?<secret>${B64}{42,86}={0,2})`, bounded: true, group: 'secret', entropy: 4 },
  { id: 'azure-sas-token', title: 'Azure SAS signature', description: 'sig= + URL-encoded base64 HMAC in a shared access signature URL beside sv=', keywords: ['sig='], shape: '[?&]sv=\\d{4}-\\d\\d-\\d\\d&[^\\s"\'<>]*?sig=(?<secret>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})', bounded: true, group: 'secret', entropy: 4 },

  // Source hosting
  { id: 'github-token', title: 'GitHub token', description: 'ghp_/gho_/ghu_/ghs_/ghr_ + 36 alphanumerics; fine-grained github_pat_ + 22 + _ + 59', keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'], shape: '(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})', entropy: 3.5 },
  { id: 'gitlab-token', title: 'GitLab token', description: 'glpat- (personal), gldt- (deploy), glrt- (runner), glcbt- (CI job), glptt- (trigger), glft- (feed), glimt- (incoming mail), gloas- (OAuth app), glsoat- (SCIM), glffct- (feature flags), glwt- + 20+ base64url', keywords: ['glpat-', 'gldt-', 'glrt-', 'glrtr-', 'glcbt-', 'glptt-', 'glft-', 'glimt-', 'gloas-', 'glsoat-', 'glffct-', 'glwt-'], shape: `gl(?:pat|dt|rtr?|cbt|ptt|ft|imt|oas|soat|ffct|wt)-${B64URL}{20,300}(?:\\.${B64URL}{2,}){0,2}`, entropy: 3.3 },
  { id: 'gitlab-agent-token', title: 'GitLab agent for Kubernetes token', description: 'glagent- + 50 base64url', keywords: ['glagent-'], shape: `glagent-${B64URL}{50,300}`, entropy: 3.5 },
  { id: 'gitlab-runner-registration-token', title: 'GitLab runner registration token', description: 'GR1348941 + 20 base64url', keywords: ['GR1348941'], shape: `GR1348941${B64URL}{20,40}`, entropy: 3.3 },
  { id: 'bitbucket-app-password', title: 'Bitbucket app password', description: 'ATBB + 32 alphanumerics (with an 8-hex checksum)', keywords: ['ATBB'], shape: 'ATBB[A-Za-z0-9_=.-]{32,}', entropy: 3.5 },

  // Chat
  { id: 'slack-token', title: 'Slack token', description: 'xoxb-/xoxp-/xoxa-/xoxr-/xoxs-/xoxo-/xoxc-/xoxd- + numeric ids + secret; rotating xoxe.xoxp-1-… and refresh xoxe-1-…', keywords: ['xox'], shape: '(?:xoxe\\.xox[bpe]-\\d-[A-Za-z0-9]{100,400}|xoxe-\\d-[A-Za-z0-9]{100,400}|xox[abposrcd]-(?:\\d{6,}-){1,3}[A-Za-z0-9]{16,64})', entropy: 3.3 },
  { id: 'slack-app-token', title: 'Slack app-level token', description: 'xapp-<n>-<app id>-<numeric>-<64 hex>', keywords: ['xapp-'], shape: 'xapp-\\d-[A-Z0-9]{9,12}-\\d{10,16}-[a-f0-9]{64}', entropy: 3.5, oneClass: true },
  { id: 'slack-webhook', title: 'Slack incoming webhook', description: 'https://hooks.slack.com/services|workflows|triggers/T…/B…/<24 alphanumerics>', keywords: ['hooks.slack.com'], shape: 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[AB][A-Z0-9]{6,}/[A-Za-z0-9]{20,}', bounded: true, entropy: 3 },
  { id: 'discord-webhook', title: 'Discord webhook', description: 'https://discord.com/api/webhooks/<snowflake>/<68 base64url>', keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'], shape: `https://(?:(?:canary|ptb)\\.)?discord(?:app)?\\.com/api/webhooks/\\d{17,20}/${B64URL}{60,68}`, bounded: true, entropy: 3.5 },
  { id: 'discord-bot-token', title: 'Discord bot token', description: 'base64 of the bot user id (M/N/O…) . 6 base64url timestamp . 27–38 base64url HMAC', keywords: ['MT', 'Mj', 'Mz', 'ND', 'NT', 'Nj', 'Nz', 'OD', 'OT'], shape: `[MNO][A-Za-z0-9]{23,27}\\.${B64URL}{6}\\.${B64URL}{27,38}`, entropy: 3.5 },
  { id: 'telegram-bot-token', title: 'Telegram bot token', description: '8–10 digit bot id, ":AA", 33 base64url', keywords: [':AA'], shape: `(?<![0-9])\\d{8,10}:AA${B64URL}{33}(?![A-Za-z0-9_-])`, bounded: true, entropy: 3.5 },

  // Payments and commerce
  { id: 'stripe-secret-key', title: 'Stripe secret or restricted key', description: 'sk_live_/sk_test_/rk_live_/rk_test_ + 24–99 alphanumerics', keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'], shape: '[sr]k_(?:live|test)_[A-Za-z0-9]{24,247}', entropy: 3.5 },
  { id: 'stripe-webhook-secret', title: 'Stripe webhook signing secret', description: 'whsec_ + 32+ alphanumerics', keywords: ['whsec_'], shape: 'whsec_[A-Za-z0-9+/]{32,88}={0,2}', entropy: 3.5 },
  { id: 'shopify-token', title: 'Shopify access token or shared secret', description: 'shpat_/shpca_/shppa_/shpss_ + 32 hex', keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], shape: 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', entropy: 3, oneClass: true },
  { id: 'square-token', title: 'Square access token or application secret', description: 'EAAA + 60 base64url (access); sq0csp- + 43 (secret); sq0atp- + 22 (legacy)', keywords: ['EAAA', 'sq0csp-', 'sq0atp-'], shape: `(?:EAAA${B64URL}{60}|sq0csp-${B64URL}{43}|sq0atp-${B64URL}{22})`, entropy: 3.5 },

  // AI providers
  { id: 'anthropic-api-key', title: 'Anthropic API key', description: 'sk-ant-api03-/admin01-/oat01- + base64url', keywords: ['sk-ant-'], shape: `sk-ant-(?:[a-z]+\\d*-)?${B64URL}{32,}`, entropy: 4 },
  { id: 'openai-api-key', title: 'OpenAI API key', description: 'sk-, sk-proj-, sk-svcacct-, sk-admin- + base64url; legacy keys embed T3BlbkFJ', keywords: ['sk-'], shape: `sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?${B64URL}{32,}`, entropy: 4 },
  { id: 'huggingface-token', title: 'Hugging Face token', description: 'hf_ (user) or api_org_ (organisation) + 34 letters', keywords: ['hf_', 'api_org_'], shape: '(?:hf|api_org)_[A-Za-z]{34,40}', entropy: 3.8 },
  { id: 'groq-api-key', title: 'Groq API key', description: 'gsk_ + 52 alphanumerics', keywords: ['gsk_'], shape: 'gsk_[A-Za-z0-9]{52}', entropy: 3.8 },
  { id: 'replicate-api-token', title: 'Replicate API token', description: 'r8_ + 37 alphanumerics', keywords: ['r8_'], shape: 'r8_[A-Za-z0-9]{37}', entropy: 3.8 },

  // Package registries
  { id: 'npm-token', title: 'npm access token', description: 'npm_ + 36 alphanumerics (legacy UUID tokens are read under _authToken)', keywords: ['npm_'], shape: 'npm_[A-Za-z0-9]{36}', entropy: 3.8 },
  { id: 'pypi-token', title: 'PyPI API token', description: 'pypi- + base64 macaroon starting AgEIcHlwaS5vcmc (pypi.org) or AgENdGVzdC5weXBp (test.pypi.org)', keywords: ['pypi-AgE'], shape: `pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBp)${B64URL}{50,}`, entropy: 4 },
  { id: 'artifactory-token', title: 'JFrog Artifactory token', description: 'API key AKCp + 69 alphanumerics; reference token cmVmdGtu ("reftkn") + base64', keywords: ['AKCp', 'cmVmdGtu'], shape: '(?:AKCp[A-Za-z0-9]{65,80}|cmVmdGtu[A-Za-z0-9]{50,70})', entropy: 3.8 },
  { id: 'rubygems-api-key', title: 'RubyGems API key', description: 'rubygems_ + 48 hex', keywords: ['rubygems_'], shape: 'rubygems_[a-f0-9]{48}', entropy: 3, oneClass: true },
  { id: 'dockerhub-token', title: 'Docker Hub access token', description: 'dckr_pat_ (personal) / dckr_oat_ (organisation) + 27 base64url', keywords: ['dckr_pat_', 'dckr_oat_'], shape: `dckr_(?:pat|oat)_${B64URL}{27,}`, entropy: 3.5 },

  // SaaS
  { id: 'sendgrid-api-key', title: 'SendGrid API key', description: 'SG. + 22 base64url . 43 base64url', keywords: ['SG.'], shape: `SG\\.${B64URL}{22}\\.${B64URL}{43}`, entropy: 3.8 },
  { id: 'twilio-api-key', title: 'Twilio API key or account SID', description: 'SK (API key SID) or AC (account SID) + 32 lower-case hex', keywords: ['SK', 'AC'], shape: '(?:SK|AC)[a-f0-9]{32}', entropy: 3, oneClass: true },
  { id: 'mailgun-api-key', title: 'Mailgun API key', description: 'key- + 32 hex', keywords: ['key-'], shape: 'key-[a-f0-9]{32}', entropy: 3, oneClass: true },
  { id: 'databricks-token', title: 'Databricks personal access token', description: 'dapi + 32 hex, optional -<digit>', keywords: ['dapi'], shape: 'dapi[a-f0-9]{32}(?:-\\d)?', entropy: 3, oneClass: true },
  { id: 'atlassian-api-token', title: 'Atlassian API token', description: 'ATATT3 + ~180 base64url, ending = + 8 hex checksum', keywords: ['ATATT'], shape: 'ATATT3[A-Za-z0-9_=-]{150,250}', entropy: 4 },
  { id: 'digitalocean-token', title: 'DigitalOcean token', description: 'dop_v1_ (personal), doo_v1_ (OAuth), dor_v1_ (refresh) + 64 hex', keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], shape: 'do[por]_v1_[a-f0-9]{64}', entropy: 3, oneClass: true },
  { id: 'doppler-token', title: 'Doppler token', description: 'dp.pt./dp.st./dp.sa./dp.ct./dp.scim./dp.audit. + 40+ alphanumerics', keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'], shape: 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}', entropy: 3.8 },
  { id: 'grafana-token', title: 'Grafana token', description: 'service account glsa_ + 32 alphanumerics + _ + 8 hex; Cloud glc_ + base64 JSON; legacy API key eyJrIjoi…', keywords: ['glsa_', 'glc_eyJ', 'eyJrIjoi'], shape: `(?:glsa_[A-Za-z0-9]{32}_[a-fA-F0-9]{8}|glc_eyJ${B64}{30,400}={0,2}|eyJrIjoi${B64}{50,100}={0,2})`, entropy: 3.8 },
  { id: 'linear-api-key', title: 'Linear API key', description: 'lin_api_ / lin_oauth_ + 40 alphanumerics', keywords: ['lin_api_', 'lin_oauth_'], shape: 'lin_(?:api|oauth)_[A-Za-z0-9]{40,64}', entropy: 3.8 },
  { id: 'postman-api-key', title: 'Postman API key', description: 'PMAK- + 24 hex - 34 hex', keywords: ['PMAK-'], shape: 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}', entropy: 3, oneClass: true },
  { id: 'pulumi-token', title: 'Pulumi access token', description: 'pul- + 40 hex', keywords: ['pul-'], shape: 'pul-[a-f0-9]{40}', entropy: 3, oneClass: true },
  { id: 'sentry-token', title: 'Sentry auth token', description: 'user token sntryu_ + 64 hex; organisation token sntrys_ + base64 JSON + _ + base64', keywords: ['sntryu_', 'sntrys_'], shape: `(?:sntryu_[a-f0-9]{64}|sntrys_eyJ${B64URL}{30,400}={0,2}_${B64URL}{30,60})`, entropy: 3.2, oneClass: true },
  { id: 'vault-token', title: 'HashiCorp Vault token', description: 'hvs. (service), hvb. (batch), hvr. (recovery) + 24+ base64url', keywords: ['hvs.', 'hvb.', 'hvr.'], shape: `hv[sbr]\\.${B64URL}{24,200}`, entropy: 3.8 },
  { id: 'onepassword-service-token', title: '1Password service account token', description: 'ops_ + base64url JSON (eyJ…), often 700+ characters', keywords: ['ops_eyJ'], shape: `ops_eyJ${B64URL}{100,4000}={0,2}`, entropy: 4 },
  { id: 'tailscale-key', title: 'Tailscale key', description: 'tskey-auth-/tskey-api-/tskey-client-/tskey-scim-/tskey-webhook- + id - secret', keywords: ['tskey-'], shape: 'tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{10,}-[A-Za-z0-9]{20,}', entropy: 3.5 },
  { id: 'newrelic-key', title: 'New Relic key', description: 'NRAK- (user API key) / NRII- (insert key) + 27 upper-case alphanumerics', keywords: ['NRAK-', 'NRII-'], shape: 'NR(?:AK|II)-[A-Z0-9]{27}', entropy: 3.5 },
  { id: 'supabase-token', title: 'Supabase access token', description: 'sbp_ + 40 hex', keywords: ['sbp_'], shape: 'sbp_[a-f0-9]{40}', entropy: 3, oneClass: true },
  { id: 'heroku-api-key', title: 'Heroku API key', description: 'HRKU-AA + 58 base64url', keywords: ['HRKU-'], shape: `HRKU-${B64URL}{60}`, entropy: 3.8 },

  // Keys
  { id: 'age-secret-key', title: 'age secret key', description: 'AGE-SECRET-KEY-1 + 58 bech32 characters', keywords: ['AGE-SECRET-KEY-1'], shape: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', entropy: 3.5 },
];
