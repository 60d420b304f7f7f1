/**
 * The operator's custom resources as `kubernetes_manifest` resources. The provider reads a CRD's
 * schema at plan time, so on a cluster without the operator's CRDs the release must be applied
 * first (see README, "Running on Kubernetes").
 */
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { OperatorResource } from './operator-resources';

export interface CustomResourcesProps {
  readonly resources: OperatorResource[];
  /** What installs the CRDs and the operator (the kube-prometheus-stack release). */
  readonly operator: ITerraformDependable;
}

export class CustomResources extends Construct {
  readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: CustomResourcesProps) {
    super(scope, id);
    this.manifests = props.resources.map(
      (resource) =>
        new Manifest(this, `${resource.kind}-${resource.metadata.name}`, {
          manifest: resource,
          dependsOn: [props.operator],
        }),
    );
  }
}
