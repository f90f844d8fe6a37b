/** The adapter for each target type. */
import { ec2Client } from '../aws.js';
import type { TargetType } from '../constants.js';
import { EbsVolumeAdapter } from './ebs-volume.js';
import type { TargetAdapter } from './target.js';

export function createAdapter(type: TargetType, region: string): TargetAdapter {
  switch (type) {
    case 'ebs-volume':
      return new EbsVolumeAdapter(ec2Client(region), region);
  }
}
