/**
 * Alertmanager's configuration on Kubernetes: `alertmanager.yml` in a Secret (it holds the bot
 * token and chat ids, as `${var.*}` expressions Terraform fills in at deploy), the template files in
 * a ConfigMap mounted where the configuration looks for them. Both are the files the Docker target
 * uploads, rendered by alerting/.
 */
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { RenderedFile } from '../../core/rendered-file';
import { ALERTMANAGER_CONFIG_FILE, DEFAULT_ALERTMANAGER_CONFIG_DIR } from '../../domain/alerting';

/** The key the operator reads the configuration from in `configSecret`. */
export const OPERATOR_CONFIG_KEY = 'alertmanager.yaml';
const TEMPLATES_DIR = 'templates';

export interface AlertmanagerConfigProps {
  /** Name prefix of the Secret and the ConfigMap. */
  readonly namePrefix: string;
  readonly namespace: string;
  /** `alertmanager.yml` and `templates/*`, rendered for `DEFAULT_ALERTMANAGER_CONFIG_DIR`. */
  readonly files: RenderedFile[]; /**
   * What the Secret holding the secrets is planned after (`depends_on`): the stack's secret checks.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class AlertmanagerConfig extends Construct {
  readonly secret: SecretV1;
  readonly templates: ConfigMapV1;
  readonly secretName: string;
  readonly templatesName: string;
  /** Where the template ConfigMap is mounted: the directory the configuration's `templates` glob reads. */
  readonly templatesDir = `${DEFAULT_ALERTMANAGER_CONFIG_DIR}/${TEMPLATES_DIR}`;

  constructor(scope: Construct, id: string, props: AlertmanagerConfigProps) {
    super(scope, id);
    const config = props.files.find((file) => file.path === ALERTMANAGER_CONFIG_FILE);
    if (!config) throw new Error(`AlertmanagerConfig: files must include ${ALERTMANAGER_CONFIG_FILE}`);
    const templates = props.files.filter((file) => file !== config);
    const misplaced = templates.filter((file) => !new RegExp(`^${TEMPLATES_DIR}/[-._A-Za-z0-9]+$`).test(file.path));
    if (misplaced.length > 0) {
      throw new Error(
        `AlertmanagerConfig: files other than ${ALERTMANAGER_CONFIG_FILE} must be ${TEMPLATES_DIR}/<name>, got ${misplaced.map((f) => f.path).join(', ')}`,
      );
    }
    this.secretName = `${props.namePrefix}-alertmanager-config`;
    this.templatesName = `${props.namePrefix}-alertmanager-templates`;
    this.secret = new SecretV1(this, 'config', {
      metadata: { name: this.secretName, namespace: props.namespace },
      data: { [OPERATOR_CONFIG_KEY]: config.content },
      dependsOn: props.dependsOn,
    });
    this.templates = new ConfigMapV1(this, 'templates', {
      metadata: { name: this.templatesName, namespace: props.namespace },
      data: Object.fromEntries(templates.map((file) => [file.path.slice(TEMPLATES_DIR.length + 1), file.content])),
    });
  }
}
