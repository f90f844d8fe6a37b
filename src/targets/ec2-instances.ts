/** EC2 instances as sources (`ec2-image`, `ec2-instance`): looked up live, by id and by tags. */
import {
  DescribeInstancesCommand,
  paginateDescribeInstances,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { TargetError } from '../errors.js';
import { awsCall } from './aws-call.js';
import type { Ec2SourceKind } from './ec2-sources.js';

/** Instances that can be backed up; terminated ones linger in describe answers for a while. */
const LIVE_INSTANCES: Filter = {
  Name: 'instance-state-name',
  Values: ['pending', 'running', 'stopping', 'stopped'],
};

export const INSTANCES: Ec2SourceKind = {
  idFilter: 'instance-id',
  noun: 'instances',
  async *pages(ec2, filters) {
    const pages = paginateDescribeInstances(
      { client: ec2 },
      { Filters: [...filters, LIVE_INSTANCES] },
    );
    for await (const page of pages) {
      yield (page.Reservations ?? [])
        .flatMap((reservation) => reservation.Instances ?? [])
        .map((instance) => ({ id: instance.InstanceId, tags: instance.Tags }));
    }
  },
};

/** An EBS volume attached to an instance. */
export interface Attached {
  volumeId: string;
  device: string;
  boot: boolean;
}

/** The instance's EBS volumes, by device, and which of them is the boot volume. */
export async function attachedVolumes(
  ec2: EC2Client,
  region: string,
  instanceId: string,
  signal?: AbortSignal,
): Promise<Attached[]> {
  return awsCall(
    `Could not read the volumes of ${instanceId} in ${region}`,
    async () => {
      const answer = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'instance-id', Values: [instanceId] }],
        }),
        { abortSignal: signal },
      );
      const instance = (answer.Reservations ?? [])
        .flatMap((reservation) => reservation.Instances ?? [])
        .find((found) => found.InstanceId === instanceId);
      if (!instance) throw new TargetError(`Instance ${instanceId} is gone from ${region}.`);
      return (instance.BlockDeviceMappings ?? []).flatMap((mapping) =>
        mapping.Ebs?.VolumeId && mapping.DeviceName
          ? [
              {
                volumeId: mapping.Ebs.VolumeId,
                device: mapping.DeviceName,
                boot: mapping.DeviceName === instance.RootDeviceName,
              },
            ]
          : [],
      );
    },
    { signal },
  );
}
