/**
 * Public face of rules/: the rule files Prometheus loads. (Seam for issue 3: the typed rules
 * replace this body.)
 */
import { RenderedFile } from '../config/rendered-file';

/** One YAML file per rule group, paths relative to Prometheus' config directory. */
export function renderRuleFiles(): RenderedFile[] {
  return [];
}
