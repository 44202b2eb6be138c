// The "done when" cases, built exactly as the editor builds them (buildEditorTask / buildCommitTask) and
// routed by the shipped classifier with the shipped defaults: no override, the model's threshold.
import assert from 'node:assert/strict';
import { decideRoute } from '../../../src/core/router/classifier';
import { buildCommitTask, buildEditorTask, type EditorCommand } from '../../../src/core/router/editorTasks';
import { DEFAULT_ROUTER_SETTINGS } from '../../../src/core/router/settings';

const GETTER = `export class Account {
  constructor(private readonly owner: string, private balance: number) {}

  get ownerName(): string {
    return this.owner;
  }

  get currentBalance(): number {
    return this.balance;
  }
}
`;

const LOCK_FREE_QUEUE = `use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

struct Node<T> {
    value: Option<T>,
    next: AtomicPtr<Node<T>>,
}

pub struct Queue<T> {
    head: AtomicPtr<Node<T>>,
    tail: AtomicPtr<Node<T>>,
}

impl<T> Queue<T> {
    pub fn new() -> Self {
        let stub = Box::into_raw(Box::new(Node { value: None, next: AtomicPtr::new(ptr::null_mut()) }));
        Queue { head: AtomicPtr::new(stub), tail: AtomicPtr::new(stub) }
    }

    pub fn push(&self, value: T) {
        let node = Box::into_raw(Box::new(Node { value: Some(value), next: AtomicPtr::new(ptr::null_mut()) }));
        loop {
            let tail = self.tail.load(Ordering::Acquire);
            let next = unsafe { (*tail).next.load(Ordering::Acquire) };
            if next.is_null() {
                if unsafe { (*tail).next.compare_exchange(next, node, Ordering::Release, Ordering::Relaxed) }.is_ok() {
                    let _ = self.tail.compare_exchange(tail, node, Ordering::Release, Ordering::Relaxed);
                    return;
                }
            } else {
                let _ = self.tail.compare_exchange(tail, next, Ordering::Release, Ordering::Relaxed);
            }
        }
    }

    pub fn pop(&self) -> Option<T> {
        loop {
            let head = self.head.load(Ordering::Acquire);
            let next = unsafe { (*head).next.load(Ordering::Acquire) };
            if next.is_null() {
                return None;
            }
            if self.head.compare_exchange(head, next, Ordering::Release, Ordering::Relaxed).is_ok() {
                return unsafe { (*next).value.take() };
            }
        }
    }
}
`;

const PURE_HELPER = `export function formatBytes(n: number): string {
  if (n < 1024) return \`\${n} B\`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return \`\${v.toFixed(1)} \${units[i]}\`;
}
`;

const RATE_LIMITER = `package ratelimit

import (
	"sync"
	"time"
)

type Limiter struct {
	mu       sync.Mutex
	rate     float64
	burst    float64
	tokens   map[string]float64
	last     map[string]time.Time
	waiters  map[string]chan struct{}
}

func New(rate, burst float64) *Limiter {
	return &Limiter{rate: rate, burst: burst, tokens: map[string]float64{}, last: map[string]time.Time{}, waiters: map[string]chan struct{}{}}
}

func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	t, ok := l.tokens[key]
	if !ok {
		t = l.burst
	}
	t += now.Sub(l.last[key]).Seconds() * l.rate
	if t > l.burst {
		t = l.burst
	}
	l.last[key] = now
	if t < 1 {
		l.tokens[key] = t
		return false
	}
	l.tokens[key] = t - 1
	return true
}

func (l *Limiter) Wait(key string) {
	for !l.Allow(key) {
		l.mu.Lock()
		ch, ok := l.waiters[key]
		if !ok {
			ch = make(chan struct{})
			l.waiters[key] = ch
			go func() {
				time.Sleep(time.Duration(float64(time.Second) / l.rate))
				l.mu.Lock()
				close(ch)
				delete(l.waiters, key)
				l.mu.Unlock()
			}()
		}
		l.mu.Unlock()
		<-ch
	}
}
`;

const RENAME_DIFF = `diff --git a/src/users.ts b/src/users.ts
index 1a2b3c4..5d6e7f8 100644
--- a/src/users.ts
+++ b/src/users.ts
@@ -1,7 +1,7 @@
-export function getUsr(id: string): User | undefined {
+export function findUser(id: string): User | undefined {
   return users.get(id);
 }
 
 export function greeting(id: string): string {
-  const u = getUsr(id);
+  const u = findUser(id);
   return u ? \`Hello, \${u.name}\` : 'Hello';
 }
`;

function route(command: Exclude<EditorCommand, 'commit'>, fileName: string, languageId: string, text: string) {
  const task = buildEditorTask(command, { fileName, languageId, text, selection: { start: 0, end: text.length } }, {});
  return decideRoute(task.input, DEFAULT_ROUTER_SETTINGS.mode, DEFAULT_ROUTER_SETTINGS.overrides);
}

describe('router on the editor tasks of the issue', () => {
  it('Explain on a trivial getter goes local', () => {
    const d = route('explain', 'src/account.ts', 'typescript', GETTER);
    assert.equal(d.route, 'local', d.summary);
    assert.equal(d.band, 'confident', d.summary);
  });

  it('Explain on a lock-free queue goes to Claude, and says why in plain terms', () => {
    const d = route('explain', 'src/queue.rs', 'rust', LOCK_FREE_QUEUE);
    assert.equal(d.route, 'cloud', d.summary);
    assert.match(d.summary!, /^Rust, .*\d+ lines → Claude$/);
    assert.match(d.summary!, /atomics and memory ordering|unsafe pointer code/);
  });

  it('Write Tests on a pure helper goes local', () => {
    assert.equal(route('tests', 'src/format.ts', 'typescript', PURE_HELPER).route, 'local');
  });

  it('Write Tests on a concurrent rate limiter goes to Claude', () => {
    const d = route('tests', 'internal/ratelimit/limiter.go', 'go', RATE_LIMITER);
    assert.equal(d.route, 'cloud', d.summary);
    assert.match(d.summary!, /locks, threads or channels/);
  });

  it('Review of a rename goes local, as a selected diff and as a commit', () => {
    const review = route('review', 'rename.diff', 'diff', RENAME_DIFF);
    assert.equal(review.route, 'local', review.summary);
    assert.match(review.summary!, /1 file changed/);
    const commit = buildCommitTask(RENAME_DIFF, {});
    assert.equal(decideRoute(commit.input, 'auto', DEFAULT_ROUTER_SETTINGS.overrides).route, 'local');
  });

  it('routes by the code, not by the template: the same Explain prompt goes both ways', () => {
    const a = route('explain', 'x.rs', 'rust', LOCK_FREE_QUEUE);
    const b = route('explain', 'x.ts', 'typescript', GETTER);
    assert.notEqual(a.route, b.route);
  });
});
