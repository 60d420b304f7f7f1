/**
 * The baseline of `npm run bench:synth`: a cdktf app with the docker provider and one container,
 * the least a stack of this project can load and synthesize. Writes to CDKTF_OUTDIR like main.ts.
 */
import { App, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { COMPONENT_DESCRIPTORS } from '../core/components';

const app = new App();
const stack = new TerraformStack(app, 'one-container');
new DockerProvider(stack, 'docker', {});
new Container(stack, 'prometheus', { name: 'prometheus', image: COMPONENT_DESCRIPTORS.prometheus.image });
app.synth();
