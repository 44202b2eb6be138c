// Hand-designed, transparent features of an editor task. Each feature has a name (the model's weights are keyed by
// it) and a human-readable label per direction, so the classifier can explain a decision by its top contributions.
// Cues are matched on the prompt only: code pasted as context mentions `lock` or `async` without the user asking
// about concurrency, and a rename inside concurrent code is still a rename.

export interface RoutingTask {
  prompt: string;
  context?: string;
  /** Editor command that produced the task: 'explain' | 'refactor' | 'tests' | 'review' | 'commit' | 'ask' | ... */
  command?: string;
}

export interface FeatureSpec {
  readonly name: string;
  /** Reason shown when the feature pushes towards the route it points to with a high value. */
  readonly label: string;
  /** Reason for a continuous feature whose value is below the training mean (e.g. "small code context"). */
  readonly lowLabel?: string;
}

interface Cue extends FeatureSpec {
  readonly re: RegExp;
}

// English alternatives use \b; Russian ones are stems without \b because JS word boundaries are ASCII-only.
const CUES: readonly Cue[] = [
  {
    name: 'concurrency',
    label: 'concurrency',
    re: /\b(dead-?locks?|deadlocking|deadlocked|live-?lock|races?|race conditions?|data races?|racy|racing|memory barriers?|barriers?|mutex(es)?|semaphores?|thread[- ]safe(ty)?|threads?|concurren\w*|parallel\w*|atomic(ally|ity)?|lock contention|locks?|goroutines?|channels?|memory ordering|synchroni[sz]\w*|await(ed|ing)? order|interleav\w*)\b|взаимоблокир|дедлок|гон(ка|ки|ку|ок|ками?)|состояни[ея] гонки|потокобезопас|многопоточ|конкурентн|мьютекс|блокировк|параллельн|синхрониз|горутин/,
  },
  {
    name: 'architecture',
    label: 'architecture / design',
    re: /\b(architect\w*|system design|design (the|a|an|our)|redesign\w*|decoupl\w*|coupling|layer(s|ing|ed)|module boundar\w*|dependency injection|event[- ]sourc\w*|cqrs|micro-?services?|monolith\w*|plugin system|abstraction|domain model|hexagonal|circular (dependenc\w*|imports?)|dependency (graph|cycles?)|god (class|object)|depends? on \w+( \w+)? directly|(doesn'?t|does not|shouldn'?t) depend on|multi-?tenan\w*|tenants|walk me through|data flow|end[- ]to[- ]end|how (does |do )?(this|the) (\w+ )?(module|system|service|scheduler|pipeline|flow|engine|framework|code) (work|decide)\w*|overall|source of truth|state machine|scal(e|able|ability|ing) (to|out|up)|extensib\w*|trade-?offs?|pros and cons|best (approach|way to structure)|should (we|i) (use|split|move|adopt))\b|архитектур|спроектир|проектирован|связанност|микросервис|монолит|абстракци|плюсы и минусы|по слоям|слои|циклическ\S* зависим|компромисс|расширяем|масштабир/,
  },
  {
    name: 'security',
    label: 'security',
    re: /\b(secur\w*|vulnerab\w*|exploit\w*|injection|xss|csrf|ssrf|cve|sanitiz\w*|escap(e|ing) (user|input)|privilege\w*|auth(entication|orization|z|n)?( bypass)?|permission checks?|timing attacks?|replay( attacks?)?|crypto\w*|encrypt\w*|hash(ing)? passwords?|tokens? leak\w*|secrets? handling|owasp|path traversal|deserializ\w*)\b|уязвим|безопасн|инъекц|авторизац|аутентификац|шифрован|эксплойт|утечк[аи] токен/,
  },
  {
    name: 'performance',
    label: 'performance / optimization',
    re: /\b(perf(ormance|ormant)?|optimi[sz]\w*|slow(er|ly|ness|s|down)?|faster|speed (it )?up|latency|throughput|bottlenecks?|memory leaks?|leak(s|ing)? memory|o\(n\^?2\)|o\(n log n\)|quadratic|profil(e|er|ing)|hot path|allocations?|cache (miss|invalidation|strateg\w*)|n\+1|p9\d|o\(\w+( log \w+)?\)|under load|hot(test)? path|thundering herd|stampede|invalidat\w*|connection pool|pool exhaust\w*|streaming|bounded memory|memory (usage|footprint)|out of memory|oom|gc pauses?|cpu (usage|spikes?)|p99|benchmark\w*)\b|производительн|оптимиз|медленн|тормоз|утечк[аи] памяти|узк(ое|им) мест|ускор|нагрузк/,
  },
  {
    name: 'multiFile',
    label: 'multi-file / cross-module change',
    re: /\b(across (all |the |every |multiple |several |our )?(files|modules|packages|services|the (code ?base|repo|project|app))|multiple (files|modules|packages|services)|several (files|modules|packages|services)|every (file|module|package|service)|all (the )?(files|modules|packages|call ?sites|callers)|cross[- ](module|package|cutting)|across the (dashboard|app|ui|frontend|backend|api|system|services)|(shared|common) (package|module|library)|duplicated (in|across)|every (list )?(endpoint|screen|page|handler|component|job|consumer)|all (the )?(endpoints|screens|jobs|services)|whole (code ?base|project|repo|app)|entire (code ?base|project|repo|app)|throughout the (code ?base|project|app)|monorepo|(in|across) \d+ (files|modules|places|services|packages)|used in \d+|between (the )?(modules|services|packages))\b|во всех файлах|нескольк\S* (файл|модул|пакет|сервис)|по всему проекту|между модулями|между сервисами|во всём проекте|во всем проекте|всю кодовую базу/,
  },
  {
    name: 'debugWhy',
    label: 'debugging: why / root cause',
    re: /\b(why (does|do|is|are|would|did|doesn't|isn't|won't|can't|it|this|the|my|we)|root cause|intermittent\w*|flaky|flakes|heisenbug|sometimes (fails|crashes|hangs|returns)|only (fails |happens )?(in|on) (prod|production|ci|release)|can'?t reproduce|hangs?|hanging|freez(e|es|ing)|segfaults?|segmentation fault|stack overflow|undefined behaviou?r|corrupt\w*|(non-?)?determinis\w*|stale (data|state|reads?)|leaks?|what causes|find the bug|what'?s wrong with|wrong (\w+ )?(dates?|results?|totals?|values?|data|output|order|numbers?)|drops? (messages|requests|connections|events)|(fail|pass)(es)? (individually|together|only)|blows? (up|the stack)|doubled|takes \d+ ?(s|sec|seconds|minutes))\b|почему|причин[аеуы]|иногда пада|плавающ|не воспроизвод|висн|зависа|пада(ет|ют)|повисает|портит/,
  },
  {
    name: 'algorithm',
    label: 'algorithm / complexity',
    re: /\b(algorithm\w*|time complexity|space complexity|big[- ]o|dynamic programming|memoi[sz]\w*|graph|shortest path|topological\w*|dfs|bfs|backtrack\w*|np[- ]hard|heuristic\w*|invariants?|property[- ]based|fuzz\w*|prove|proof|correctness|amortized|binary search|fair(ness)?|lru|scheduling|interval tree|trie|union[- ]find|consensus|distributed|eventual(ly)? consisten\w*|idempoten\w*|transaction(s|al)? (isolation|semantics)|exactly[- ]once|backpressure|ordering guarantees?)\b|алгоритм|сложност|динамическ\S* программ|граф|кратчайш|инвариант|доказ|распределённ|распределенн|идемпотент|консистентн/,
  },
  {
    name: 'migration',
    label: 'migration / upgrade',
    re: /\b(migrat\w*|upgrad(e|ing) (from|to|the|our)|port (this|it|our|the whole) (\w+ ){0,2}(to|from)|rewrite (it |this |the \w+ )?in|move (us |the app )?(off|from) \S+ to|without breaking|backwards?[- ]compat\w*|keep (the )?clients|(api )?versioning|breaking changes?|deprecat\w*|legacy|switch(ing)? from \w+ to|convert the (whole|entire) )\b|миграц|мигрир|перенес|переписать на|переход(а|ить)? (с|на)|перевести проект|обнов\S* (с|до) верси|устаревш/,
  },
  {
    name: 'rename',
    label: 'mechanical rename',
    re: /\b(renam\w*|change the name|call it \w+ instead|name it \w+ instead)\b|переимен|поменяй имя|назови/,
  },
  {
    name: 'format',
    label: 'formatting / style',
    re: /\b(format\w*|re-?indent\w*|indent(ation)?|prettier|whitespace|trailing (spaces?|commas?)|line length|wrap (long )?lines|sort (the )?(imports|import statements)|alphabeti[sz]\w*|lint (warning|error)s?|eslint|semicolons?|quotes? style|single quotes|double quotes|tabs to spaces|spaces to tabs|blank lines?)\b|отформат|отступ|форматир|выровня|точк[аиу] с запятой|кавычк|пробел/,
  },
  {
    name: 'typo',
    label: 'typo / spelling fix',
    re: /\b(typos?|spelling|misspel\w*|grammar|wording|capitali[sz]\w*)\b|опечат|орфограф|грамматик/,
  },
  {
    name: 'comment',
    label: 'add a comment / docstring',
    re: /\b(add (a |an |some |short |brief |inline )*comments?|comment (this|it|out)|docstrings?|jsdoc|tsdoc|javadoc|doc ?comments?|document (this|the|each|all)|readme|@param|@returns?)\b|комментари|докстринг|jsdoc|документаци/,
  },
  {
    name: 'commitMessage',
    label: 'commit message / changelog',
    re: /\b(commit messages?|changelog( entry)?|pr (title|description)|pull request (title|description)|release notes?)\b|сообщени\S* (для )?коммит|коммит-сообщени|описание (pr|пр|пул)|чейнджлог/,
  },
  {
    name: 'explainLine',
    label: 'explain a single construct',
    re: /\b(what (does|is) (this|that|the) (line|regex|regexp|expression|flag|option|operator|keyword|syntax|symbol|decorator|annotation|import|constant|variable|type|setting)|explain (this|that|the) (line|regex|regexp|expression|one-?liner|snippet|operator|syntax)|what (does|do|is|are) (the )?`[^`\n]{1,80}`|what does \S+ (do|mean|check|return)|what is (a|an) \w+(,| in one)|what is `?[\w.]+`? (for|in this)|meaning of)\b|что (делает|означает|значит) (эта|этот|это|флаг|опция|ключ)|объясни (эту |этот )?(строк|регулярк|выражени)/,
  },
  {
    name: 'mechanicalEdit',
    label: 'short mechanical edit',
    re: /\b(convert (this|it|the|these)( \w+)? (to|into) (an? )?(arrow function|async\/await|template literal|const|let|interface|type|enum|switch|ternary|for-of|map)|add (a |an )?(type annotations?|types?|return types?|null check|default value|log(ging)? (line|statement)|console\.log|field|property|parameter|argument|import|export|getter|setter|constructor|try\/catch|guard clause|early return)|remove (the )?(unused|dead|commented|debug|console)\w*|strip (\w+ )?(out|all)|get rid of|lookup (object|table|map)|if\/else|delete (the )?(unused|dead)|extract (this |it )?(into )?(a )?(constant|variable|helper)|inline (this |the )?(variable|constant)|replace (var|let|==|`?\w+`?) with|make (it|this|the \w+) (optional|readonly|private|public|const|async|static|exported)|change (the )?(\w+ )?(default|return type|type of|value of|string|message|label|text|port|timeout|color|email|url|link|title|icon|name)|update (the )?(import path|version|string|message|url|constant)|bump (the )?version|swap (the )?(order|arguments)|uppercase|lowercase|wrap (it|this) in|add (an? )?else|getters? and setters?|boilerplate|scaffold\w*|stub)\b|замени|добавь (лог|тип|поле|параметр|импорт|провер)|удали (неиспользуем|лишн|мёртв|мертв|отладоч)|преобразуй в|сделай (необязательн|приватн|публичн|константой)|поменяй|измени (значени|текст|строк|тип)|вынеси в (константу|переменную)|обнови (путь|верси|импорт)/,
  },
  {
    name: 'smallScope',
    label: 'single-location scope',
    re: /\b(this (line|variable( name)?|constant|field|property|parameter|string|label|button|import|statement|expression|if|loop|call)|one-?liner|the selected|the selection|selected (code|line|lines|text|function)|one line|single line|line \d+|on line)\b|эту строк|этой строк|эту переменн|выделенн|одну строк|строк[ае] \d+|в строке/,
  },
  {
    name: 'reliability',
    label: 'failure handling / consistency',
    re: /\b(retr(y|ies|ying)|backoff|resum(e|able)|crash(es|ed)? (recovery|safe)|after a crash|partial (failures?|success)|half the batch|fault[- ]toleran\w*|at[- ]least[- ]once|duplicate (\w+ )?(invoices|charges|payments|messages|events|orders|records|rows|deliver\w*|processing)|double[- ](charge|submit|processing)|twice|consisten(t|cy)|transactions?|rollback|compensat\w*|out of order|lost (updates?|writes?|messages?))\b|повтор|отказоустойчив|согласованн|дубл|дважды|транзакци|откат/,
  },
  {
    name: 'quickHowTo',
    label: 'quick how-to / lookup',
    re: /^(how (do|can) i|how to|what'?s the (\w+ )?(command|shortcut|syntax|class|flag|option|keybinding|name|method|function)|give me a (regex|command|one-?liner|snippet|bash|sql)|(sql|regex|a regex|bash|css) (to|for)|convert this curl|translate (this|the)|is this valid|как в |как сделать|как (мне )?(получить|проверить|развернуть|перевести|удалить|добавить))/,
  },
  {
    name: 'howTo',
    label: 'open-ended design / approach question',
    re: /\b(how (should|would|could|can) (we|i)|what('s| is) the best way|best practice|approach (to|for)|strategy|design (a|an|the)|is it (safe|better|worth)|should (we|i)|choose between|pick (a|an|between)|vs\.?|versus|which (one|is better|should))\b|как лучше|как правильно|стоит ли|какой подход|как бы ты/,
  },
];

/** Exported in order: the model's weight vector follows this order by name. */
export const FEATURE_SPECS: readonly FeatureSpec[] = [
  ...CUES.map(({ name, label }) => ({ name, label })),
  { name: 'question', label: 'asks a question' },
  { name: 'promptLength', label: 'long prompt', lowLabel: 'short prompt' },
  { name: 'codeSize', label: 'large code context', lowLabel: 'small code context' },
  { name: 'filesReferenced', label: 'several files referenced', lowLabel: 'few files referenced' },
  { name: 'identifiers', label: 'many identifiers in context', lowLabel: 'few identifiers in context' },
  { name: 'cmdExplain', label: 'command: explain' },
  { name: 'cmdRefactor', label: 'command: refactor' },
  { name: 'cmdTests', label: 'command: write tests' },
  { name: 'cmdReview', label: 'command: review' },
  { name: 'cmdCommit', label: 'command: commit message' },
  { name: 'cmdAsk', label: 'command: ask' },
];

export const FEATURE_NAMES: readonly string[] = FEATURE_SPECS.map((f) => f.name);

const COMMANDS = ['explain', 'refactor', 'tests', 'review', 'commit', 'ask'] as const;

// Only the head of huge inputs is scanned for structure: the routing signal is in what the user asked and in the
// shape of the code, and a bounded scan keeps classification under a millisecond on any input.
const STRUCTURE_SCAN = 20_000;
const IDENT_SCAN = 8_000;
const CUE_SCAN = 12_000;

// File references are found by their extension and then read backwards: a path regex anchored at every
// whitespace backtracks heavily on long prose, this stays linear.
const FILE_EXT = /\.(?:tsx?|jsx?|mjs|cjs|py|go|rs|java|kt|cs|cpp|cc|c|h|hpp|rb|php|swift|scala|sql|json|ya?ml|toml|vue|svelte|css|scss|html|md|sh)(?![\w-])/g;
const PATH_CHAR = /[\w./-]/;
const IDENT = /[A-Za-z_$][\w$]{2,}/g;
const CODE_LINE = /[;{}]\s*$|=>|^\s*(?:def|function|class|import|export|return|const|let|var|fn|func|public|private|if|for|while)\b/gm;

const KEYWORDS = new Set(
  'the and for with this that from import export const let var function return class new true false null undefined void async await else while type interface extends implements public private protected static readonly string number boolean any unknown def self none not elif pass lambda func package struct impl pub mut use'.split(
    ' ',
  ),
);

const log1pNorm = (x: number, max: number): number => Math.min(1, Math.log1p(x) / Math.log1p(max));

function countLines(s: string, limit: number): number {
  if (!s) return 0;
  let n = 1;
  const end = Math.min(s.length, limit);
  for (let i = s.indexOf('\n'); i !== -1 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function countMatches(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s) !== null) n++;
  return n;
}

function distinctFiles(...texts: string[]): number {
  const seen = new Set<string>();
  for (const s of texts) {
    FILE_EXT.lastIndex = 0;
    let budget = 400; // candidate extensions examined per text: plenty for real code, bounded for junk
    for (let m = FILE_EXT.exec(s); m !== null && seen.size < 50 && budget-- > 0; m = FILE_EXT.exec(s)) {
      // Bounded walk: a pathological run like "a/.c/.c/.c…" must not make this quadratic.
      const floor = Math.max(0, m.index - 160);
      let start = m.index;
      while (start > floor && PATH_CHAR.test(s[start - 1]!)) start--;
      const name = s.slice(start, m.index);
      // "obj.c" inside code or ".ts" alone is not a file: require a plausible base name.
      if (/[\w-]$/.test(name) && (name.includes('/') || name.length >= 2)) seen.add(s.slice(start, m.index + m[0].length).toLowerCase());
    }
  }
  return seen.size;
}

function distinctIdentifiers(s: string): number {
  const seen = new Set<string>();
  IDENT.lastIndex = 0;
  for (let m = IDENT.exec(s); m !== null; m = IDENT.exec(s)) if (!KEYWORDS.has(m[0])) seen.add(m[0]);
  return seen.size;
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Feature vector in FEATURE_SPECS order; every value is in [0, 1]. */
export function extractFeatures(task: RoutingTask): number[] {
  const prompt = asText(task?.prompt);
  const context = asText(task?.context).slice(0, STRUCTURE_SCAN);
  const command = asText(task?.command).toLowerCase();
  const head = prompt.slice(0, CUE_SCAN);
  const lower = head.toLowerCase().trimStart();
  const promptHead = prompt.slice(0, STRUCTURE_SCAN);

  const out: number[] = CUES.map((c) => (c.re.test(lower) ? 1 : 0));
  out.push(/\?|^(why|what|how|when|where|which|is|are|does|do|can|could|should)\b|^(почему|что|как|зачем|когда|где|какой|можно ли)/.test(lower) ? 1 : 0);
  out.push(log1pNorm(prompt.length, 10_000));
  const codeLines = countLines(context, STRUCTURE_SCAN) + countMatches(CODE_LINE, promptHead);
  out.push(log1pNorm(codeLines, 2_000));
  out.push(Math.min(distinctFiles(promptHead, context), 8) / 8);
  out.push(log1pNorm(distinctIdentifiers(context.slice(0, IDENT_SCAN)), 1_500));
  for (const c of COMMANDS) out.push(command === c || (c === 'tests' && command === 'test') ? 1 : 0);
  return out;
}
