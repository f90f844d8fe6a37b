/** The adapter for each target type. */
import { ec2Client, rdsClient } from '../aws.js';
import type { Config } from '../inputs.js';
import { EbsVolumeAdapter } from './ebs-volume.js';
import { Ec2ImageAdapter } from './ec2-image.js';
import { rdsClusterAdapter } from './rds-cluster.js';
import { rdsInstanceAdapter } from './rds-instance.js';
import type { TargetAdapter } from './target.js';

/** The adapter of the run's target type in `region`: the source region, or a copy destination. */
export function createAdapter(config: Config, region: string = config.region): TargetAdapter {
  switch (config.targetType) {
    case 'ebs-volume':
      return new EbsVolumeAdapter(ec2Client(region), region);
    case 'ec2-image':
      return new Ec2ImageAdapter(ec2Client(region), region, { noReboot: config.noReboot });
    case 'rds-instance':
      return rdsInstanceAdapter(rdsClient(region), region, { quotaClient: rdsClient(region, 2) });
    case 'rds-cluster':
      return rdsClusterAdapter(rdsClient(region), region, { quotaClient: rdsClient(region, 2) });
  }
}
