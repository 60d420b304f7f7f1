/**
 * The dashboards as Terraform provisions them: the synthesized stack (default config, real
 * dashboards) has one `grafana_dashboard` per rendered dashboard, in the "Stock Tracker" folder,
 * whose `config_json` is exactly the rendered JSON.
 */
import { DEFAULT_CONFIG } from '../config/monitoring-config';
import { PROMETHEUS_DATASOURCE_UID, renderDashboards } from '../domain/dashboards';
import { TerraformJson, resourcesOf, onAppNetwork, synthStack } from '../testing/synth';

describe('dashboards in the synthesized Terraform', () => {
  const rendered = renderDashboards({ alertmanager: DEFAULT_CONFIG.alerting.externalUrl });
  let json: TerraformJson;
  beforeAll(() => {
    json = synthStack(onAppNetwork(DEFAULT_CONFIG)).json;
  });

  test('one grafana_dashboard per rendered dashboard, its config_json the rendered JSON', () => {
    const dashboards = resourcesOf(json, 'grafana_dashboard');
    expect(dashboards).toHaveLength(4);
    expect(dashboards.map((dashboard) => dashboard.config_json).sort()).toEqual(
      rendered.map((dashboard) => dashboard.json).sort(),
    );
    expect(dashboards.map((dashboard) => JSON.parse(dashboard.config_json).uid).sort()).toEqual(
      rendered.map((dashboard) => dashboard.uid).sort(),
    );
  });

  test('every dashboard is in the "Stock Tracker" folder and overwrites what is there', () => {
    const folders = Object.entries(json.resource.grafana_folder);
    expect(folders).toHaveLength(1);
    const [[folderId, folder]] = folders;
    expect(folder.title).toBe(DEFAULT_CONFIG.grafana.folderTitle);
    expect(folder.title).toBe('Stock Tracker');
    for (const dashboard of resourcesOf(json, 'grafana_dashboard')) {
      expect(dashboard.folder).toBe(`\${grafana_folder.${folderId}.uid}`);
      expect(dashboard.overwrite).toBe(true);
    }
  });

  test('the panels query the data source Terraform creates, by its fixed uid', () => {
    const dataSources = resourcesOf(json, 'grafana_data_source');
    expect(dataSources.map((dataSource) => [dataSource.type, dataSource.uid])).toEqual([
      ['prometheus', PROMETHEUS_DATASOURCE_UID],
    ]);
    const dataSourceId = Object.keys(json.resource.grafana_data_source)[0];
    for (const dashboard of resourcesOf(json, 'grafana_dashboard')) {
      expect(dashboard.depends_on).toContain(`grafana_data_source.${dataSourceId}`);
      const uids = new Set(
        [...dashboard.config_json.matchAll(/"datasource":\{"type":"prometheus","uid":"([^"]*)"\}/g)].map(
          (match: RegExpMatchArray) => match[1],
        ),
      );
      expect([...uids]).toEqual([PROMETHEUS_DATASOURCE_UID]);
    }
  });
});
