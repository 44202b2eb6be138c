// What the code of a task is made of, measured on the code itself so a template prompt ("Explain the selected
// code.") still routes by what is selected. Language-neutral lexical measures for every language; JS/TS get their
// structure (functions, nesting, branches) from @babel/parser (jsStructure.ts) because a real parse is cheap there.
// Every measure is a count of a kind of construct a reader must reason about, named by the API or syntax it is
// (a mutex, an atomic ordering, a raw pointer), never by words a user might type.
import { jsStructure, type CodeStructure } from './jsStructure';

export interface CodeFeatures {
  /** Non-blank lines. */
  lines: number;
  /** Function, method and closure definitions. */
  functions: number;
  /** Deepest block nesting (braces, or indentation for Python-like languages). */
  maxNesting: number;
  /** Decision points: if / else if / case / loops / catch / && / || / ?: / match arms. */
  branches: number;
  /** Locks, threads, channels, goroutines, wait groups, semaphores, synchronized blocks. */
  concurrency: number;
  /** Atomics, memory orderings, compare-and-swap, fences, volatile. */
  memoryOrdering: number;
  /** unsafe blocks, raw pointers, manual allocation, FFI, pointer casts. */
  unsafeMemory: number;
  /** Cryptography, tokens, passwords, sessions, permissions. */
  securityApi: number;
  /** SQL built from strings, shell/eval execution, raw HTML sinks. */
  injectionSinks: number;
  /** async/await, promises, futures, timers, coroutines, select loops. */
  asyncFlow: number;
  /** Type parameters, templates, conditional / inferred types, macros. */
  generics: number;
  /** try/catch/except/finally, retries, timeouts, transactions, rollback. */
  failureHandling: number;
  /** Schema changes and data migrations (ALTER TABLE, AddField, RunPython...). */
  schemaChange: number;
  /** Bit masks, shifts and pointer / index arithmetic. */
  bitArithmetic: number;
  /** Dates, clocks and time zones; money and decimal rounding: semantics that look simple and are not. */
  timeAndMoney: number;
  /** import / include / use / require lines. */
  imports: number;
  /** Lines that are plain data: a field, a key: value, a constant, an enum member. */
  dataLines: number;
  /** Distinct identifiers (keywords excluded). */
  identifiers: number;
  /** Structure came from a real parse (JS/TS) rather than lexical measures. */
  parsed: boolean;
}

// Only the head of huge inputs is measured: the shape of the code shows in its first ~20 K characters, and the
// bound keeps classification within its latency budget on any input.
export const CODE_SCAN = 20_000;

// Each pattern names constructs of several languages; \b keeps `block` from matching `lock` and so on.
const PATTERNS = {
  concurrency:
    /\b(?:Mutex|RwLock|RWMutex|ReentrantLock|ReentrantReadWriteLock|ReadWriteLock|Semaphore|Condvar|CountDownLatch|WaitGroup|sync\.(?:Mutex|Once|Map|Cond)|synchronized|std::thread|std::mutex|std::lock_guard|std::unique_lock|lock_guard|unique_lock|pthread_\w+|Thread|threading|ThreadPool\w*|ExecutorService|Executors|ConcurrentHashMap|Arc|spawn|goroutine|chan|Lock|RLock|RUnlock|Unlock|lock|unlock|readLock|writeLock|acquire|release|Worker|workers?|parallel|Parallel|par_iter|crossbeam|rayon|mpsc|select)\b|\bgo\s+(?:func\b|\w+\()|<-\s*\w|\w\s*<-/g,
  memoryOrdering:
    /\b(?:std::atomic|atomic|Atomic\w*|memory_order_\w+|Ordering::\w+|compare_exchange\w*|compareAndSet|compareAndExchange|CompareAndSwap\w*|cas|fetch_add|fetch_sub|fetch_or|fetchAdd|getAndIncrement|incrementAndGet|volatile|fence|atomic_thread_fence|Interlocked|LoadInt\d+|StoreInt\d+|AddInt\d+|SeqCst|Acquire|Release|Relaxed|AcqRel)\b/g,
  unsafeMemory:
    /\bunsafe\b|\*(?:mut|const)\s+\w|\b(?:malloc|calloc|realloc|free|memcpy|memmove|memset|alloca|alloc|dealloc|ptr::\w+|transmute|reinterpret_cast|static_cast|const_cast|NonNull|MaybeUninit|ManuallyDrop|Box::from_raw|into_raw|as_ptr|as_mut_ptr|offset|uintptr_t|intptr_t|uintptr|unsafe\.Pointer|ctypes|cffi|JNIEnv|Marshal|IntPtr|stackalloc|fixed)\b|\bextern\s+"C"|\bimport\s+"C"/g,
  securityApi:
    /\b(?:crypto|createHmac|createHash|createCipheriv|hmac|HMAC|sha1|sha256|sha512|md5|bcrypt|scrypt|argon2|pbkdf2|jwt|JWT|jsonwebtoken|aes|AES|rsa|RSA|cipher|Cipher|nonce|salt|password|passwd|secret|token|Token|apiKey|api_key|session|Session|cookie|cookies|csrf|CSRF|auth|Auth|authorize|authenticate|permission|permissions|role|roles|scopes|admin|isAdmin|timingSafeEqual|ConstantTimeCompare|compare_digest|SecureRandom|randomBytes|getRandomValues|oauth|OAuth|saml|certificate|tls|TLS|signature|verify)\b/g,
  injectionSinks:
    /\b(?:eval|exec|execSync|spawnSync|system|popen|shell\s*=\s*True|os\.system|subprocess|child_process|innerHTML|outerHTML|dangerouslySetInnerHTML|document\.write|html_safe|Runtime\.getRuntime)\b|\braw\s*\(|["'`][^"'`\n]*\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^"'`\n]*(?:["'`]\s*(?:\+|%)|\$\{|%[sd]|\{\w*\})/g,
  asyncFlow:
    /\b(?:async|await|Promise|then|setTimeout|setInterval|setImmediate|queueMicrotask|asyncio|aiohttp|tokio|futures?|Future|CompletableFuture|Task\.(?:Run|WhenAll|WhenAny|Delay)|ConfigureAwait|suspend|launch|coroutineScope|runBlocking|Deferred|Flow|yield|AbortController|AbortSignal|EventEmitter|callback|cb|on\w+Listener|addEventListener|Observable|subscribe|nextTick)\b/g,
  generics:
    /\btemplate\s*<|\bwhere\s+\w+\s*:|\bimpl\s*<|\bextends\s+\w+(?:<[^>\n]*>)?\s*\?|\binfer\s+\w|\bkeyof\b|\btypename\b|\bmacro_rules!|#define\s+\w+\(|\bdyn\s+\w|\b(?:PhantomData|TypeVar|Generic|Protocol)\b|<\s*[A-Z]\w*(?:\s+extends\b|\s*:\s*\w|\s*,\s*[A-Z]\w*)*\s*>|\bconstexpr\b|\bdecltype\b|\bconcept\b/g,
  failureHandling:
    /\b(?:try|catch|except|finally|rescue|ensure|recover|panic|retry|retries|backoff|timeout|Timeout|deadline|transaction|Transaction|rollback|commit|BEGIN|ROLLBACK|COMMIT|savepoint|idempotency\w*|TimeoutException)\b/g,
  schemaChange:
    /\b(?:ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+(?:TABLE|COLUMN|INDEX)|ADD\s+COLUMN|AddField|RemoveField|AlterField|RenameField|RunPython|RunSQL|migrations?|Migration|add_column|remove_column|change_column|create_table|knex\.schema|queryInterface)\b/g,
  bitArithmetic: /<<|>>>?|\s[&|^]\s*(?:0x|~|\d|\(|\w+\s*-\s*1)|~\s*\(|\b0x[0-9a-fA-F]+\b|&\s*~|\w+\s*&\s*mask\w*|\b(?:mask|bitmask|align|alignof|sizeof)\b/g,
  timeAndMoney:
    /\b(?:Date|getTime|getTimezoneOffset|toISOString|toLocale\w*String|setHours|setDate|setMonth|getUTC\w+|setUTC\w+|Intl|DateTimeFormat|timeZone|timezone|tz|tzinfo|pytz|zoneinfo|ZoneId|ZoneOffset|ZonedDateTime|OffsetDateTime|LocalDate\w*|Instant|DateTime\w*|datetime|timedelta|chrono|Utc|time\.(?:Now|Date|Parse|LoadLocation|Unix)|LoadLocation|DST|UTC|moment|dayjs|luxon|date-fns|Temporal|Decimal|BigDecimal|RoundingMode|ROUND_\w+|MonetaryAmount)\b|\btoFixed\(2\)|\*\s*100\)\s*\/\s*100\b|\bsetScale\(2\b/g,
  imports: /^\s*(?:import\b|from\s+\S+\s+import\b|#include\b|use\s+[\w:]+|using\s+[\w.]+;|require\s*\(|\w+\s*=\s*require\(|package\s+\w)/gm,
} as const;

// A line that only declares data: `key: value,`, `Name = "x"`, a struct field, an enum member, a dict entry.
const DATA_LINE =
  /^\s*(?:["']?[\w$.-]+["']?\s*[:=]\s*(?:["'`][^"'`]*["'`]|-?\d[\d_.]*|true|false|null|nil|None|\[[^\]]*\]|\{\s*\}|[\w.]+(?:\(\))?)\s*[,;]?|(?:pub\s+|public\s+|private\s+|readonly\s+|final\s+)*[\w$]+\s*:?\s+[\w<>[\]?*.|]+\s*[,;]?|[A-Z][\w]*\s*(?:=\s*[^,;]+)?,|[\w$]+\??:\s*[\w<>[\]|' ]+;?)\s*$/;

// A line of literal data in a list or map: `{"name": "id", "readonly": True},` — only strings, numbers, constants,
// keys and brackets, no call, operator or control flow.
const LITERAL_LINE = /^[\s[\]{}(),:=;]*(?:(?:S|N|true|false|True|False|null|nil|None|[A-Za-z_$][\w$]*\s*[:=])[\s[\]{}(),:=;]*)+$/;
const literalShape = (line: string): string => line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, 'S').replace(/-?\b\d[\w.]*\b/g, 'N');
const isDataLine = (line: string): boolean => DATA_LINE.test(line) || (/["'`\d]/.test(line) && LITERAL_LINE.test(literalShape(line)));

const IDENT = /[A-Za-z_$][\w$]{2,}/g;
const KEYWORDS = new Set(
  (
    'the and for with this that from import export const let var function return class new true false null undefined void async await ' +
    'else while type interface extends implements public private protected static readonly string number boolean any unknown def self ' +
    'none not elif pass lambda func package struct impl pub mut use int long char bool float double unsigned size_t auto fun val end ' +
    'begin nil override final try catch finally throw throws break continue switch case default static_cast include define'
  ).split(' '),
);
// Python, Ruby, YAML, Haskell and the like nest by indentation (or `end`) rather than braces.
const INDENT_LANGUAGES = new Set(['python', 'ruby', 'yaml', 'coffeescript', 'haskell', 'elixir', 'nim', 'fsharp']);
const FUNCTION_LINE =
  /^\s*(?:(?:pub(?:\([\w:]+\))?|public|private|protected|internal|static|async|export|default|override|virtual|inline|final|unsafe|extern|abstract|suspend|open|const)\s+)*(?:fn|func|def|function|fun|sub|proc)\b|^\s*(?:[\w<>[\]:*&,\s]+\s+)?[\w:~]+\s*\([^;]*\)\s*(?:const\s*)?(?:->\s*[\w<>:&*\s]+)?\s*\{\s*$|=>\s*\{?\s*$|\bfunc\s*\(|\blambda\b|\|[\w\s,:&]*\|\s*\{/;
const BRANCH = /\b(?:if|elif|elsif|else\s+if|case|when|for|foreach|while|until|catch|except|rescue|guard|unless)\b|&&|\|\||\?\?|\s\?\s|=>\s*(?![{(])|\bselect\b/g;

const count = (re: RegExp, s: string): number => {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s) !== null) n++;
  return n;
};

function lexicalStructure(lines: readonly string[], byIndent: boolean): CodeStructure {
  let functions = 0;
  let branches = 0;
  let maxNesting = 0;
  let depth = 0;
  const indents: number[] = [];
  for (const line of lines) {
    if (FUNCTION_LINE.test(line)) functions++;
    branches += count(BRANCH, line);
    if (byIndent) {
      const indent = line.length - line.trimStart().length;
      while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      maxNesting = Math.max(maxNesting, indents.length - 1);
    } else {
      // Braces outside strings are close enough for nesting depth; a miscount only ever stays bounded.
      for (const ch of line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '')) {
        if (ch === '{') maxNesting = Math.max(maxNesting, ++depth);
        else if (ch === '}') depth = Math.max(0, depth - 1);
      }
    }
  }
  return { functions, branches, maxNesting };
}

/** Measures `code` (a selection, a file or a diff's lines). `language` is a VS Code language id when known. */
export function codeFeatures(code: string, language?: string): CodeFeatures {
  const text = code.length > CODE_SCAN ? code.slice(0, CODE_SCAN) : code;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parsed = language ? jsStructure(text, language) : undefined;
  const structure = parsed ?? lexicalStructure(lines, INDENT_LANGUAGES.has(language ?? ''));
  let dataLines = 0;
  for (const l of lines) if (isDataLine(l)) dataLines++;
  const seen = new Set<string>();
  IDENT.lastIndex = 0;
  const identText = text.length > 8000 ? text.slice(0, 8000) : text;
  for (let m = IDENT.exec(identText); m !== null; m = IDENT.exec(identText)) if (!KEYWORDS.has(m[0])) seen.add(m[0]);
  return {
    lines: lines.length,
    functions: structure.functions,
    maxNesting: structure.maxNesting,
    branches: structure.branches,
    concurrency: count(PATTERNS.concurrency, text),
    memoryOrdering: count(PATTERNS.memoryOrdering, text),
    unsafeMemory: count(PATTERNS.unsafeMemory, text),
    securityApi: count(PATTERNS.securityApi, text),
    injectionSinks: count(PATTERNS.injectionSinks, text),
    asyncFlow: count(PATTERNS.asyncFlow, text),
    generics: count(PATTERNS.generics, text),
    failureHandling: count(PATTERNS.failureHandling, text),
    schemaChange: count(PATTERNS.schemaChange, text),
    bitArithmetic: count(PATTERNS.bitArithmetic, text),
    timeAndMoney: count(PATTERNS.timeAndMoney, text),
    imports: count(PATTERNS.imports, text),
    dataLines,
    identifiers: seen.size,
    parsed: parsed !== undefined,
  };
}
