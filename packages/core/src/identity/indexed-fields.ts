import type { Path } from '@muster/filter';
import type { IdentitySchema } from './identity-schema.js';

/** The paths of schema fields marked `index: true`, in schema order (for `ensureIndexes`). */
export function indexedFields(schema: IdentitySchema | undefined): Path[] {
  if (schema === undefined) return [];
  const paths: Path[] = [];
  for (const name of Object.keys(schema.fields)) {
    if (schema.fields[name]?.index === true) paths.push([name]);
  }
  return paths;
}
