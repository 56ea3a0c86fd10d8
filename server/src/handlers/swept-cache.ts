/**
 * A per-document cache keyed by text (YAML sections, Dockerfile chunks) that forgets the entries
 * the latest analysis no longer used, so a document edited for an hour keeps only its current parts.
 */
export class SweptCache<V> extends Map<string, V> {
  private readonly used = new Set<string>();

  override get(key: string): V | undefined {
    const value = super.get(key);
    if (value !== undefined) this.used.add(key);
    return value;
  }

  override set(key: string, value: V): this {
    this.used.add(key);
    return super.set(key, value);
  }

  sweep(): void {
    for (const key of this.keys()) if (!this.used.has(key)) this.delete(key);
    this.used.clear();
  }
}
