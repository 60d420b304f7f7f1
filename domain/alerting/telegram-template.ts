/**
 * `telegram.tmpl`: the message a person reads on their phone. Written as Go template text here,
 * from the same typed pieces as the routing (severities, group labels, annotation names).
 *
 * How Alertmanager executes it (0.25 to 0.33, the matrix): with `parse_mode: HTML` the `message` is run by
 * Go's html/template, which escapes every value for the context it lands in (text, href) and then
 * cuts the result at 4096 runes, in the middle of a tag if need be; Telegram refuses such a
 * message and the alert is never delivered. So every part here has a length limit, and the
 * limits add up to less than 4096 for any group (proven with worst-case alerts in
 * __tests__/alerting-telegram.test.ts):
 * - text values are escaped by the template itself (`&`, `<`, `>`), then cut to a length counted
 *   in escaped characters, never inside an entity, and passed on as safe HTML;
 * - values inside links (runbook and panel URLs, the silence filter) are used only when made of characters
 *   that html/template leaves as they are, and are bounded by the same patterns;
 * - a group shows its first `alertsShown` alerts and counts the rest.
 */
import { Severity } from '../../core/severity';
import { ANNOTATIONS, AlertLabel } from './alert-names';
import { GROUP_BY, SEVERITY_STYLE } from './routing';

export const TELEGRAM_MESSAGE_TEMPLATE = 'stocktracker.telegram.message';

/** Longest escaped text of each part, in characters; and how many alerts a message details. */
export const MESSAGE_LIMITS = {
  alertsShown: 5,
  /** alertname, severity, and the group's instance. */
  name: 64,
  summary: 100,
  description: 200,
  /** Identity labels of an alert (queue, platform, ...). */
  labelValue: 48,
  /** Runbook and panel link targets. */
  url: 200,
  /** A label value in the silence link's filter. */
  filterValue: 64,
} as const;

/** Labels that say which thing of a group fails, shown per alert when they are not group labels. */
export const IDENTITY_LABELS: readonly { label: AlertLabel; title: string }[] = [
  { label: 'instance', title: 'instance' },
  { label: 'queue_name', title: 'queue' },
  { label: 'platform', title: 'platform' },
  { label: 'mountpoint', title: 'mount' },
];

const RESOLVED_EMOJI = '✅';
const UNKNOWN_SEVERITY_EMOJI = '⚪';
const TIME_FORMAT = '"2006-01-02 15:04 UTC"';
/** Characters html/template keeps as they are in an href (no quote, `&`, `+`, parenthesis). */
const PLAIN_URL = `^https?://[A-Za-z0-9._~:/?#@!$*,;=%-]{1,${MESSAGE_LIMITS.url}}$`;
const PLAIN_FILTER_VALUE = `^[A-Za-z0-9_.:/@-]{1,${MESSAGE_LIMITS.filterValue}}$`;

const name = (part: string) => `stocktracker.telegram.${part}`;
const textTemplate = (limit: number) => name(`text.${limit}`);

/** `value`, HTML-escaped and cut to `limit` escaped characters (+ "…"). */
function text(value: string, limit: number): string {
  return `{{ template "${textTemplate(limit)}" ${value} }}`;
}

function defineText(limit: number): string {
  return (
    `{{ define "${textTemplate(limit)}" }}{{ . | reReplaceAll "&" "&amp;" | reReplaceAll "<" "&lt;" | reReplaceAll ">" "&gt;"` +
    ` | reReplaceAll "(?s)^(.{${limit}}).+$" "$1…" | reReplaceAll "&[a-z]*…$" "…" | safeHtml }}{{ end }}`
  );
}

function defineEmoji(): string {
  const branches = (Object.entries(SEVERITY_STYLE) as [Severity, { emoji: string }][])
    .map(([severity, style], i) => `{{ ${i === 0 ? 'if' : 'else if'} eq . "${severity}" }}${style.emoji}`)
    .join('');
  return `{{ define "${name('emoji')}" }}${branches}{{ else }}${UNKNOWN_SEVERITY_EMOJI}{{ end }}{{ end }}`;
}

/** `queue <code>default</code> · platform <code>ozon</code>`: the identity labels the group does not share. */
function identityLine(): string {
  const items = IDENTITY_LABELS.filter(({ label }) => !GROUP_BY.includes(label)).map(
    ({ label, title }) =>
      `{{ with .Labels.${label} }}{{ $separator }}${title} <code>${text('.', MESSAGE_LIMITS.labelValue)}</code>{{ $separator = " · " }}{{ end }}`,
  );
  return `{{ $separator := "" }}${items.join('')}{{ if $separator }}\n{{ end }}`;
}

/** Alertmanager's "new silence" form, filled with the group's labels (those of plain values). */
function silenceLink(externalUrl: string): string {
  const matchers = GROUP_BY.map(
    (label) =>
      `{{ if match "${PLAIN_FILTER_VALUE}" .GroupLabels.${label} }}{{ if $matchers }}%2C{{ end }}${label}%3D%22{{ .GroupLabels.${label} }}%22{{ $matchers = true }}{{ end }}`,
  );
  return `🔕 <a href="${externalUrl}/#/silences/new?filter=%7B{{ $matchers := false }}${matchers.join('')}%7D">Silence</a>`;
}

/** Each define below starts a line of the message where its source line starts. */
function defineMessage(externalUrl: string): string[] {
  const { alertsShown } = MESSAGE_LIMITS;
  const title =
    `{{ if eq .Status "firing" }}{{ template "${name('emoji')}" .CommonLabels.severity }} <b>FIRING</b>` +
    `{{ else }}${RESOLVED_EMOJI} <b>RESOLVED</b>{{ end }}{{ with .CommonLabels.severity }} · ${text('(toUpper .)', MESSAGE_LIMITS.name)}{{ end }}`;
  const subject =
    `<b>${text('.GroupLabels.alertname', MESSAGE_LIMITS.name)}</b>` +
    `{{ with .GroupLabels.instance }} · <code>${text('.', MESSAGE_LIMITS.name)}</code>{{ end }}` +
    ` · {{ if eq .Status "firing" }}{{ len .Alerts.Firing }} firing{{ with .Alerts.Resolved }}, {{ len . }} resolved{{ end }}` +
    `{{ else }}{{ len .Alerts.Resolved }} resolved{{ end }}`;
  // The first alert's links: every alert of a group has the same name, so the same runbook and panel.
  const link = (annotation: string, emoji: string, text: string) =>
    `{{ with (index .Alerts 0).Annotations.${annotation} }}{{ if match "${PLAIN_URL}" . }}${emoji} <a href="{{ . }}">${text}</a> · {{ end }}{{ end }}`;
  const links = link(ANNOTATIONS.runbook, '📖', 'Runbook') + link(ANNOTATIONS.dashboard, '📈', 'Panel');
  return [
    `{{ define "${name('header')}" }}${title}\n${subject}\n{{ end }}`,
    `{{ define "${name('alert')}" }}`,
    // A resolved alert keeps the annotations of its last firing evaluation: its summary holds the value
    // then, and its description the ongoing state. Said as the past, the description left out.
    `{{ if eq .Status "resolved" }}▸ <b>Resolved: ${text('.Labels.alertname', MESSAGE_LIMITS.name)}</b>`,
    `{{ with .Annotations.${ANNOTATIONS.summary} }}when it fired: ${text('.', MESSAGE_LIMITS.summary)}`,
    `{{ end }}{{ else }}▸ <b>${text(`(or .Annotations.${ANNOTATIONS.summary} .Labels.alertname)`, MESSAGE_LIMITS.summary)}</b>`,
    `{{ with .Annotations.${ANNOTATIONS.description} }}${text('.', MESSAGE_LIMITS.description)}`,
    `{{ end }}{{ end }}${identityLine()}🕒 {{ .StartsAt.UTC.Format ${TIME_FORMAT} }}{{ if eq .Status "resolved" }} → {{ .EndsAt.UTC.Format ${TIME_FORMAT} }}{{ end }}`,
    `{{ end }}`,
    `{{ define "${name('links')}" }}${links}${silenceLink(externalUrl)}{{ end }}`,
    // The alerts a message details: the firing ones, or all of them when the group resolved.
    `{{ define "${TELEGRAM_MESSAGE_TEMPLATE}" }}{{ template "${name('header')}" . }}` +
      `{{ $alerts := .Alerts.Resolved }}{{ if eq .Status "firing" }}{{ $alerts = .Alerts.Firing }}{{ end }}` +
      `{{ range $index, $alert := $alerts }}{{ if lt $index ${alertsShown} }}{{ template "${name('alert')}" $alert }}{{ end }}{{ end }}`,
    `{{ if gt (len $alerts) ${alertsShown} }}… and {{ len (slice $alerts ${alertsShown}) }} more`,
    `{{ end }}{{ template "${name('links')}" . }}{{ end }}`,
  ];
}

/** The template file's content; `externalUrl` is where the silence links point. */
export function renderTelegramTemplate(externalUrl: string): string {
  const limits = [MESSAGE_LIMITS.name, MESSAGE_LIMITS.summary, MESSAGE_LIMITS.description, MESSAGE_LIMITS.labelValue];
  return [
    `{{/* Rendered by stock-tracker-monitoring (domain/alerting/telegram-template.ts); do not edit. Telegram HTML, under 4096 characters. */}}`,
    ...[...new Set(limits)].map(defineText),
    defineEmoji(),
    ...defineMessage(externalUrl),
    '',
  ].join('\n');
}
