/** What `RedisRegistry.explain` reports: where enumerate finds a filter's candidates. */
export type FilterPlan =
  /** No usable index: the members zset is walked in chunks through the Lua evaluator. */
  | { readonly walks: 'namespace'; readonly key: string }
  /** An equality or presence index zset, walked in identity order. */
  | { readonly walks: 'index'; readonly key: string }
  /** A bounded set read from range, prefix or several indexes, then checked in chunks. */
  | { readonly walks: 'candidates'; readonly candidates: number };
