/**
 * Release numbers as image tags carry them (`v3.5.5`, `0.12.2`, `v1.93.0-alpine`, `11.6.16`), so
 * that a configured image can be compared with the oldest release a rendered setting needs.
 */

/** `major.minor.patch`, each a whole number. */
export type Release = readonly [major: number, minor: number, patch: number];

/**
 * The release a tag starts with: an optional `v`, then `major.minor` or `major.minor.patch`, then
 * nothing or a flavour after `-`, `+` or `_` (`v1.93.0-alpine`, `11.6.14-security-04`). Undefined
 * for a tag that names no release (`main`, `latest`, `alpine`).
 */
export function releaseOfTag(tag: string): Release | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+_].*)?$/.exec(tag);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/**
 * The release an image reference's tag names (`registry.local:5000/prom/prometheus:v2.48.0` →
 * 2.48.0); undefined for a reference pinned by digest alone or whose tag names no release.
 */
export function releaseOfImage(image: string): Release | undefined {
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  return colon === -1 ? undefined : releaseOfTag(lastPart.slice(colon + 1));
}

/** `major.minor.patch` as text; throws naming the text when it is not one. */
export function parseRelease(text: string): Release {
  const release = /^\d+\.\d+\.\d+$/.test(text) ? releaseOfTag(text) : undefined;
  if (release === undefined) throw new Error(`not a release (major.minor.patch): ${JSON.stringify(text)}`);
  return release;
}

/** Negative when `a` is older than `b`, 0 when the same, positive when newer. */
export function compareReleases(a: Release, b: Release): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatRelease(release: Release): string {
  return release.join('.');
}
