#!/usr/bin/env -S node --import tsx
// processor-registry-image: the image section of a processor's registry.yaml, for
// scripts/build-processor-image.sh:
//   processor-registry-image pin <registry.yaml> <repo@sha256:…> [--platform amd64|arm64]
//       records the image in image.platforms.<platform> (default: this machine's); nothing else changes
//   processor-registry-image strip <registry.yaml>
//       prints the file without its image section (the copy that goes into the image)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pinImage, withoutImage } from '../pin-image.js';
import { hostPlatform } from '../target.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { platform: { type: 'string' } },
});
const [command, file, imageRef] = positionals;
const platform = values.platform ?? hostPlatform();
if (command === 'strip' && file) {
  process.stdout.write(withoutImage(readFileSync(file, 'utf8')));
} else if (
  command === 'pin' &&
  file &&
  imageRef &&
  (platform === 'amd64' || platform === 'arm64')
) {
  writeFileSync(file, pinImage(readFileSync(file, 'utf8'), platform, imageRef));
} else {
  process.stderr.write(
    'usage: processor-registry-image pin <registry.yaml> <repo@sha256:…> [--platform amd64|arm64]\n' +
      '       processor-registry-image strip <registry.yaml>\n',
  );
  process.exit(2);
}
