// Writes media/rules_manifest.schema.json from the zod schema, so editors complete and check the manifest.
// A unit test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema } from '../src/core/rules/manifestJsonSchema';

writeFileSync('media/rules_manifest.schema.json', `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
