/** The adapter for each target type. */
import { ec2Client, rdsClient } from '../aws.js';
import type { Config } from '../inputs.js';
import { EbsVolumeAdapter } from './ebs-volume.js';
import { Ec2ImageAdapter } from './ec2-image.js';
import { rdsClusterAdapter } from './rds-cluster.js';
import { rdsInstanceAdapter } from './rds-instance.js';
import type { TargetAdapter } from './target.js';

export function createAdapter(config: Config): TargetAdapter {
  switch (config.targetType) {
    case 'ebs-volume':
      return new EbsVolumeAdapter(ec2Client(config.region), config.region);
    case 'ec2-image':
      return new Ec2ImageAdapter(ec2Client(config.region), config.region, {
        noReboot: config.noReboot,
      });
    case 'rds-instance':
      return rdsInstanceAdapter(rdsClient(config.region), config.region, {
        quotaClient: rdsClient(config.region, 2),
      });
    case 'rds-cluster':
      return rdsClusterAdapter(rdsClient(config.region), config.region, {
        quotaClient: rdsClient(config.region, 2),
      });
  }
}
