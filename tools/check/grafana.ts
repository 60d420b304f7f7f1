/**
 * Grafana, through its HTTP API (its health is an endpoint check): the provisioned Prometheus data source answers, and the
 * dashboards of dashboards/ sit in their folder. The last two need the admin login.
 */
import { Check, CheckOutcome, failed, listed, passed } from './check';
import { HttpClient, excerpt } from '../../clients/http';
import { CheckTargets, GRAFANA_PASSWORD_VARIABLES } from './targets';

interface SearchHit {
  uid: string;
  title: string;
  folderTitle?: string;
}

export function grafanaChecks(targets: CheckTargets, http: HttpClient): Check[] {
  const base = targets.urls.grafana;
  const { expected, grafanaAuth: auth } = targets;
  const withLogin = (run: (login: NonNullable<typeof auth>) => Promise<CheckOutcome>) => async () =>
    auth ? run(auth) : failed(`needs the admin password: set ${GRAFANA_PASSWORD_VARIABLES.join(' or ')}`);
  return [
    {
      component: 'grafana',
      name: 'Prometheus data source works',
      run: withLogin(async (login) => {
        const answer = await http.get(`${base}/api/datasources/uid/${expected.datasourceUid}/health`, login);
        if (answer.status === 404)
          return failed(`no data source with uid ${expected.datasourceUid}: was the stack deployed?`);
        if (answer.status === 401) return failed('the admin login was refused: is the password the one Grafana has?');
        const body = jsonOrEmpty(answer.body);
        return answer.status === 200 && body.status === 'OK'
          ? passed(body.message ?? 'OK')
          : failed(`${answer.status}: ${body.message ?? excerpt(answer.body)}`);
      }),
    },
    {
      component: 'grafana',
      name: `dashboards in folder "${expected.folderTitle}"`,
      run: withLogin(async (login) => {
        const hits = await http.getJson<SearchHit[]>(`${base}/api/search?type=dash-db&limit=5000`, login);
        const problems = expected.dashboards.flatMap(({ uid, title }) => {
          const hit = hits.find((candidate) => candidate.uid === uid);
          if (!hit) return [`"${title}" missing`];
          return hit.folderTitle === expected.folderTitle ? [] : [`"${title}" is in "${hit.folderTitle ?? 'General'}"`];
        });
        const count = `${expected.dashboards.length - problems.length}/${expected.dashboards.length}`;
        return problems.length === 0
          ? passed(`${count}: ${listed(expected.dashboards.map((d) => d.title))}`)
          : failed(`${count}; ${listed(problems)}`);
      }),
    },
  ];
}

/** The data source health answer: `{status, message}`, or nothing usable. */
function jsonOrEmpty(body: string): { status?: string; message?: string } {
  try {
    return JSON.parse(body) as { status?: string; message?: string };
  } catch {
    return {};
  }
}
