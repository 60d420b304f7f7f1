/**
 * What the configuration supports is what it refuses: each component's image must be at least
 * the oldest release the stack supports (its descriptor's `oldestRelease`, README "Versions"), and
 * at least the first release of every setting the configuration renders for it. A configured image
 * below either is refused at synth, naming the field, the image and the minimum.
 *
 * A setting that needs a newer release than the floor adds a requirement here, with the condition
 * under which the stack renders it (as Telegram forum topics do below).
 */
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName } from '../core/components';
import { Release, compareReleases, formatRelease, parseRelease, releaseOfImage } from '../core/release';
import { AlertingSettings } from './alerting-settings';
import { ConfigReader } from './errors';

/**
 * What a requirement may read of the configuration: the parts of `MonitoringConfig` that decide
 * what is rendered for an image (declared here, not imported, as config/monitoring-config.ts
 * imports this file). A requirement on another section adds it.
 */
export interface RenderedSettings {
  /** Only the Docker target runs `components.<name>.image`. */
  readonly target: string;
  readonly components: { readonly [N in ComponentName]: { readonly image: string } };
  readonly alerting: AlertingSettings;
  readonly dockerDiscovery: { readonly enabled: boolean };
}

/** A release a component's image must have at least. */
export interface ImageRequirement {
  readonly component: ComponentName;
  /** The first release that has what is needed, `major.minor.patch`. */
  readonly minimum: string;
  /** What the minimum is, completing "`<minimum>` is …": `the first with telegram_configs, the receiver of every alert`. */
  readonly is: string;
  /** Whether the configuration renders what needs it. @default always */
  readonly rendered?: (config: RenderedSettings) => boolean;
  /**
   * The need depends on the host (its Docker engine's version), which synth cannot see: an image
   * below it is warned about (`imageWarnings`), not refused. @default false
   */
  readonly hostDependent?: boolean;
}

/** The floor: each component's oldest supported release. */
const OLDEST_RELEASES: readonly ImageRequirement[] = COMPONENTS.map((component) => ({
  component,
  minimum: COMPONENT_DESCRIPTORS[component].oldestRelease,
  is: `the oldest ${COMPONENT_DESCRIPTORS[component].title} the stack supports (README "Versions")`,
}));

/**
 * The first Alertmanager with `message_thread_id` in `telegram_configs` (alerting.telegramTopics).
 * Source: Alertmanager's CHANGELOG 0.28.0 (#3638), `MessageThreadID` in config/notifiers.go from v0.28.0.
 */
export const TELEGRAM_TOPICS_MINIMUM = '0.28.0';

/**
 * Every requirement on the images. Sources: Alertmanager's CHANGELOG, 0.24.0 "[FEATURE] Add
 * Telegram integration. #2827"; `TELEGRAM_TOPICS_MINIMUM`.
 */
export const IMAGE_REQUIREMENTS: readonly ImageRequirement[] = [
  ...OLDEST_RELEASES,
  {
    component: 'alertmanager',
    minimum: '0.24.0',
    is: 'the first with telegram_configs, the receiver of every alert',
  },
  {
    // README "Versions": Docker 29.0 serves API 1.44 and newer only; Prometheus' Docker client
    // speaks 1.44 from 2.50 on (docker client 25), 1.43 from 2.45 to 2.49.
    component: 'prometheus',
    minimum: '2.50.0',
    is: 'the first whose Docker discovery (dockerDiscovery.enabled) Docker Engine 29 and later accept: on such a host the discovered api targets vanish',
    rendered: (config) => config.dockerDiscovery.enabled,
    hostDependent: true,
  },
  {
    component: 'alertmanager',
    minimum: TELEGRAM_TOPICS_MINIMUM,
    is: 'the first with message_thread_id, which alerting.telegramTopics renders',
    rendered: (config) => Object.keys(config.alerting.telegramTopics).length > 0,
  },
];

/** The requirements the configuration's rendered files put on `component`'s image. */
function requirementsOf(
  config: RenderedSettings,
  component: ComponentName,
  requirements: readonly ImageRequirement[],
): ImageRequirement[] {
  return requirements.filter((r) => r.component === component && (r.rendered?.(config) ?? true));
}

/**
 * Records a problem for each `components.<name>.image` whose release is below a requirement the
 * configuration puts on it: the image, every unmet minimum and what needs it. Only the Docker
 * target runs these images (on Kubernetes the chart chooses its own). An image whose tag names no
 * release (a digest alone) cannot be checked here: `uncheckedImages` warns about it.
 */
export function checkImageRequirements(
  config: RenderedSettings,
  reader: ConfigReader,
  requirements: readonly ImageRequirement[] = IMAGE_REQUIREMENTS,
): void {
  if (config.target !== 'docker') return;
  for (const component of COMPONENTS) {
    const image = config.components[component].image;
    const release = releaseOfImage(image);
    if (release === undefined) continue;
    const unmet = requirementsOf(config, component, requirements)
      .filter((requirement) => !requirement.hostDependent)
      .map((requirement) => ({ requirement, minimum: parseRelease(requirement.minimum) }))
      .filter(({ minimum }) => compareReleases(release, minimum) < 0)
      .sort((a, b) => compareReleases(b.minimum, a.minimum));
    if (unmet.length === 0) continue;
    reader.problem(
      `components.${component}.image`,
      image,
      `is release ${formatRelease(release)}, below the ${formatRelease(unmet[0].minimum)} it needs: ${unmet
        .map(({ requirement, minimum }) => `${formatRelease(minimum)} is ${requirement.is}`)
        .join('; ')}`,
    );
  }
}

/**
 * One warning per Docker image whose tag names no release (pinned by digest alone, or a tag such
 * as `main`): the stack cannot check it meets its requirements.
 */
export function uncheckedImages(
  config: RenderedSettings,
  requirements: readonly ImageRequirement[] = IMAGE_REQUIREMENTS,
): string[] {
  if (config.target !== 'docker') return [];
  return COMPONENTS.flatMap((component) => {
    const image = config.components[component].image;
    if (releaseOfImage(image) !== undefined) return [];
    const highest = requirementsOf(config, component, requirements)
      .map((requirement) => parseRelease(requirement.minimum))
      .sort(compareReleases)
      .at(-1) as Release;
    return [
      `components.${component}.image "${image}" names no release in its tag: the stack cannot check it is at least ${formatRelease(highest)}`,
    ];
  });
}

/**
 * One warning per Docker image below a host-dependent requirement the configuration puts on it
 * (`hostDependent`): what the image lacks on which hosts, naming the image and the minimum.
 */
export function imageWarnings(
  config: RenderedSettings,
  requirements: readonly ImageRequirement[] = IMAGE_REQUIREMENTS,
): string[] {
  if (config.target !== 'docker') return [];
  return COMPONENTS.flatMap((component) => {
    const image = config.components[component].image;
    const release = releaseOfImage(image);
    if (release === undefined) return [];
    return requirementsOf(config, component, requirements)
      .filter((requirement) => requirement.hostDependent)
      .filter((requirement) => compareReleases(release, parseRelease(requirement.minimum)) < 0)
      .map(
        (requirement) =>
          `components.${component}.image "${image}" is release ${formatRelease(release)}: ${requirement.minimum} is ${requirement.is}`,
      );
  });
}
