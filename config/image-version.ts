/**
 * The release an image reference names, for settings a program accepts only from some version on
 * (Telegram forum topics need Alertmanager 0.28). A small local helper: a generic minimum-version
 * mechanism may take its place.
 */

/** A release as `[major, minor, patch]`. */
export type Version = readonly [number, number, number];

/** `v0.28.1`, `0.28`, `v0.28.1-rc.0`: the numbers a tag starts with. */
const VERSION_TAG = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][\w.-]*)?$/;

/**
 * The version in the tag of `image` (`prom/alertmanager:v0.28.1@sha256:…` → `[0, 28, 1]`);
 * undefined when it has no tag (a digest only) or the tag is not a version (`main`).
 */
export function imageVersion(image: string): Version | undefined {
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
  const match = tag === undefined ? null : VERSION_TAG.exec(tag);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/** Whether `version` is `minimum` or later. */
export function atLeast(version: Version, minimum: Version): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== minimum[i]) return version[i] > minimum[i];
  return true;
}

/** `0.28.0`. */
export function formatVersion(version: Version): string {
  return version.join('.');
}
