/**
 * Public face of alerting/: Alertmanager's configuration and Telegram template. (Seam for
 * issue 4: the typed routing replaces this body.)
 */
import { RenderedFile } from '../config/rendered-file';
import { MonitoringConfig } from '../config/monitoring-config';
import { Severity } from '../rules/severity';

/**
 * Values that are secret: Terraform expressions such as `${var.telegram_bot_token}` at synth,
 * dummy values when a test validates the rendered file.
 */
export interface AlertmanagerSecrets {
  telegramBotToken: string;
  /** Chat id per severity (an integer, or a Terraform expression that yields one). */
  telegramChatIds: Record<Severity, string>;
}

/** `alertmanager.yml` and `templates/telegram.tmpl`, paths relative to Alertmanager's config dir. */
export function renderAlertmanagerFiles(config: MonitoringConfig, secrets: AlertmanagerSecrets): RenderedFile[] {
  void config;
  void secrets;
  return [];
}
