/**
 * What the editor shows per file: an open document's own findings while it is open (they follow unsaved text),
 * otherwise what the last workspace scan found on disk. Keys are opaque (the editor uses URI strings); the
 * methods that change results return the keys whose shown findings may have changed, to re-render just those.
 */
export class FindingsIndex<F> {
  private readonly scan = new Map<string, readonly F[]>();
  private readonly scanned = new Set<string>();
  private readonly live = new Map<string, readonly F[]>();

  get(key: string): readonly F[] {
    return this.live.get(key) ?? this.scan.get(key) ?? [];
  }

  /** Whether the last scan covered this file (checked it, with or without findings). */
  isScanned(key: string): boolean {
    return this.scanned.has(key);
  }

  isLive(key: string): boolean {
    return this.live.has(key);
  }

  setLive(key: string, findings: readonly F[]): void {
    this.live.set(key, findings);
  }

  /**
   * A document closed: its live findings go. Returns true when a scan covered the file, so the caller re-checks
   * it from disk (the closed editor may have discarded unsaved text) and stores that with `setScanned`.
   */
  closeLive(key: string): boolean {
    this.live.delete(key);
    return this.scanned.has(key);
  }

  /** One file's findings as on disk. */
  setScanned(key: string, findings: readonly F[]): void {
    this.scanned.add(key);
    if (findings.length) this.scan.set(key, findings);
    else this.scan.delete(key);
  }

  /** Replaces the scan results under `prefix` (one workspace folder) with a new scan's. */
  replaceScan(prefix: string, checked: Iterable<string>, findings: ReadonlyMap<string, readonly F[]>): string[] {
    const touched = new Set<string>();
    for (const key of [...this.scan.keys()]) {
      if (!key.startsWith(prefix)) continue;
      this.scan.delete(key);
      touched.add(key);
    }
    for (const key of [...this.scanned]) if (key.startsWith(prefix)) this.scanned.delete(key);
    for (const key of checked) this.scanned.add(key);
    for (const [key, list] of findings) {
      this.scanned.add(key);
      if (!list.length) continue;
      this.scan.set(key, list);
      touched.add(key);
    }
    return [...touched];
  }

  /** Forgets everything under `prefix` (a folder left the workspace). */
  clear(prefix: string): string[] {
    const touched = new Set<string>();
    for (const map of [this.scan, this.live]) {
      for (const key of [...map.keys()]) {
        if (!key.startsWith(prefix)) continue;
        map.delete(key);
        touched.add(key);
      }
    }
    for (const key of [...this.scanned]) if (key.startsWith(prefix)) this.scanned.delete(key);
    return [...touched];
  }

  /** Every file with findings to show, with them. */
  *entries(): IterableIterator<[string, readonly F[]]> {
    const seen = new Set<string>();
    for (const key of [...this.live.keys(), ...this.scan.keys()]) {
      if (seen.has(key)) continue;
      seen.add(key);
      const list = this.get(key);
      if (list.length) yield [key, list];
    }
  }
}
