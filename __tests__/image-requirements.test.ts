/**
 * What the configuration supports is what it refuses: an image below its component's oldest
 * supported release, or below what a rendered setting needs, stops synth naming the field, the
 * image and the minimum (config/image-requirements.ts); an image whose tag names no release is
 * warned about.
 */
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName } from '../core/components';
import { compareReleases, parseRelease, releaseOfImage, releaseOfTag } from '../core/release';
import { ConfigError, ConfigReader, describeProblem } from '../config/errors';
import {
  IMAGE_REQUIREMENTS,
  ImageRequirement,
  checkImageRequirements,
  uncheckedImages,
} from '../config/image-requirements';
import { loadMonitoringConfig } from '../config/load';
import { DEFAULT_CONFIG, parseMonitoringConfig } from '../config/monitoring-config';
import { configWarnings } from '../main';

/** A dead man's switch, so that the warnings below are the images' only. */
const HEARTBEAT = { watchdogHeartbeatUrl: 'https://hc-ping.com/0f1e2d3c' };

function problemLines(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(describeProblem);
    throw error;
  }
  return [];
}

/** `repository:<tag>` of the component's default image, with `tag` instead. */
function imageAt(component: ComponentName, tag: string): string {
  const image = COMPONENT_DESCRIPTORS[component].image;
  return `${image.slice(0, image.lastIndexOf(':'))}:${tag}`;
}

/** The release just below `release` (`0.25.0` → `0.24.99`, `2.42.1` → `2.42.0`). */
function justBelow(release: string): string {
  const [major, minor, patch] = parseRelease(release);
  return patch > 0 ? `${major}.${minor}.${patch - 1}` : minor > 0 ? `${major}.${minor - 1}.99` : `${major - 1}.99.99`;
}

describe('releases in image tags', () => {
  test('the release a tag names, with or without v and a flavour', () => {
    expect(
      ['v3.5.5', '0.12.2', 'v1.93.0-alpine', '11.6.14-security-04', 'v2.48', '12.0.0+build'].map(releaseOfTag),
    ).toEqual([
      [3, 5, 5],
      [0, 12, 2],
      [1, 93, 0],
      [11, 6, 14],
      [2, 48, 0],
      [12, 0, 0],
    ]);
    expect(['main', 'alpine', 'latest', 'v3', '3.5.5a'].map(releaseOfTag)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test("an image's release: the tag after the last slash, not a registry port; none for a digest alone", () => {
    expect(releaseOfImage('registry.local:5000/prom/prometheus:v2.48.0')).toEqual([2, 48, 0]);
    expect(releaseOfImage(`prom/alertmanager:v0.34.1@sha256:${'a'.repeat(64)}`)).toEqual([0, 34, 1]);
    expect(releaseOfImage(`registry.local:5000/prom/alertmanager@sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });

  test('releases compare by number, not as text', () => {
    expect(compareReleases(parseRelease('0.9.0'), parseRelease('0.10.0'))).toBeLessThan(0);
    expect(compareReleases(parseRelease('10.2.0'), parseRelease('9.5.3'))).toBeGreaterThan(0);
    expect(compareReleases(parseRelease('1.5.0'), parseRelease('1.5.0'))).toBe(0);
    expect(() => parseRelease('1.5')).toThrow('not a release (major.minor.patch): "1.5"');
  });
});

describe('image requirements', () => {
  test('every default image is a release at or above every requirement on it', () => {
    expect(problemLines(() => parseMonitoringConfig({}))).toEqual([]);
    for (const requirement of IMAGE_REQUIREMENTS) {
      const release = releaseOfImage(COMPONENT_DESCRIPTORS[requirement.component].image);
      expect(release && compareReleases(release, parseRelease(requirement.minimum))).toBeGreaterThanOrEqual(0);
    }
  });

  test.each(COMPONENTS.map((component) => [component, COMPONENT_DESCRIPTORS[component].oldestRelease]))(
    '%s: its oldest supported release %s is accepted, the release just below it refused',
    (component, oldest) => {
      const at = (release: string) => ({ components: { [component]: { image: imageAt(component, `v${release}`) } } });
      expect(problemLines(() => parseMonitoringConfig(at(oldest)))).toEqual([]);
      const below = justBelow(oldest);
      expect(problemLines(() => parseMonitoringConfig(at(below)))).toEqual([
        `components.${component}.image: "${imageAt(component, `v${below}`)}" is release ${below}, below the ${oldest} it needs: ${oldest} is the oldest ${COMPONENT_DESCRIPTORS[component].title} the stack supports (README "Versions")`,
      ]);
    },
  );

  test('an Alertmanager without Telegram is refused for each reason, where it was set', () => {
    const config = JSON.stringify({ components: { alertmanager: { image: 'prom/alertmanager:v0.23.0' } } });
    expect(problemLines(() => loadMonitoringConfig({ MONITORING_CONFIG: config }))).toEqual([
      'components.alertmanager.image in MONITORING_CONFIG: "prom/alertmanager:v0.23.0" is release 0.23.0, below the 0.25.0 it needs: ' +
        '0.25.0 is the oldest Alertmanager the stack supports (README "Versions"); 0.24.0 is the first with telegram_configs, the receiver of every alert',
    ]);
  });

  test('a requirement applies only while the configuration renders what needs it', () => {
    const topics: ImageRequirement = {
      component: 'alertmanager',
      minimum: '0.28.0',
      is: 'the first with message_thread_id',
    };
    const config = {
      ...DEFAULT_CONFIG,
      components: {
        ...DEFAULT_CONFIG.components,
        alertmanager: { ...DEFAULT_CONFIG.components.alertmanager, image: 'prom/alertmanager:v0.27.0' },
      },
    };
    const problems = (requirement: ImageRequirement) => {
      const reader = new ConfigReader();
      checkImageRequirements(config, reader, [requirement]);
      return problemLines(() => reader.done());
    };
    expect(problems({ ...topics, rendered: () => false })).toEqual([]);
    expect(problems({ ...topics, rendered: () => true })).toEqual([
      'components.alertmanager.image: "prom/alertmanager:v0.27.0" is release 0.27.0, below the 0.28.0 it needs: 0.28.0 is the first with message_thread_id',
    ]);
  });

  test('the Kubernetes target runs the chart images: its components.*.image is not checked', () => {
    const old = { components: { alertmanager: { image: 'prom/alertmanager:v0.23.0' } } };
    expect(problemLines(() => parseMonitoringConfig({ ...old, target: 'kubernetes' }))).toEqual([]);
    expect(
      uncheckedImages(
        parseMonitoringConfig({
          target: 'kubernetes',
          components: { cadvisor: { image: `x/y@sha256:${'a'.repeat(64)}` } },
        }),
      ),
    ).toEqual([]);
  });

  test('an image pinned by digest alone is accepted with a warning naming the release it must be', () => {
    const image = `ghcr.io/google/cadvisor@sha256:${'a'.repeat(64)}`;
    const config = parseMonitoringConfig({ components: { cadvisor: { image } }, alerting: HEARTBEAT });
    expect(configWarnings({}, config)).toEqual([
      `components.cadvisor.image "${image}" names no release in its tag: the stack cannot check it is at least 0.54.0`,
    ]);
  });

  test('a Prometheus before 2.50 with Docker discovery is warned about (Docker 29 refuses its API version), not refused', () => {
    const old = (enabled: boolean) =>
      parseMonitoringConfig({
        components: { prometheus: { image: 'prom/prometheus:v2.42.0' } },
        dockerDiscovery: { enabled },
        alerting: HEARTBEAT,
      });
    expect(configWarnings({}, old(true))).toEqual([
      'components.prometheus.image "prom/prometheus:v2.42.0" is release 2.42.0: 2.50.0 is the first whose Docker discovery (dockerDiscovery.enabled) Docker Engine 29 and later accept: on such a host the discovered api targets vanish',
    ]);
    expect(configWarnings({}, old(false))).toEqual([]);
    const current = parseMonitoringConfig({
      components: { prometheus: { image: 'prom/prometheus:v2.50.0' } },
      alerting: HEARTBEAT,
    });
    expect(configWarnings({}, current)).toEqual([]);
  });
});
