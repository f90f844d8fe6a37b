/** Types of aws-fidelity.mjs for the TypeScript tests; the JSDoc there is the documentation. */
import type { IncomingHttpHeaders } from 'node:http';

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
}
export interface FidelityCall {
  service: string;
  region: string;
  action: string;
  params: Record<string, string>;
}
export interface ProxyIO {
  forward: (params?: Record<string, string>) => Promise<Answer>;
  send: (params: Record<string, string>, region?: string) => Promise<Answer>;
  headers: IncomingHttpHeaders;
  method?: string;
  url?: string;
  body?: Buffer | string;
}
export type Kind = 'snapshot' | 'image' | 'db-snapshot' | 'cluster-snapshot';
export interface LostAnswers {
  actions: string[];
  mode?: 'http500' | 'drop';
  times?: number;
}
export interface FidelityOptions {
  visibilityDelayMs?: number;
  pendingMs?: number;
  amiSnapshotTags?: boolean;
  deregistration?: boolean | { inUseMs?: number };
  rdsFields?: boolean;
  dbInstanceStatus?: Record<string, string>;
  dbClusterStatus?: Record<string, string>;
  lostAnswers?: LostAnswers;
  uniqueAmiNames?: boolean;
  copySlotsTaken?: Record<string, number | Partial<Record<Kind, number>>>;
  archived?: string[];
  locked?: string[];
  fastRestore?: string[];
  accountQuotas?: Record<string, number>;
  s3RestoreMs?: number;
  ssmManagedInstances?: string[];
  clock?: () => number;
}
export interface LostAnswer {
  action: string;
  region: string;
  id: string | undefined;
}
export declare class AwsFidelity {
  constructor(options?: FidelityOptions);
  options: FidelityOptions;
  /** The answers lost so far (lostAnswers). */
  lost: LostAnswer[];
  set(options: FidelityOptions): void;
  reset(): void;
  handle(call: FidelityCall, io: ProxyIO): Promise<Answer>;
  hidden(region: string, kind: Kind, id: string): boolean;
  pending(region: string, kind: Kind, id: string): number | undefined;
}
export interface XmlElement {
  name: string;
  attrs: string;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;
export declare function parseXml(text: string): XmlElement;
export declare function serializeXml(node: XmlNode): string;
export declare function escapeXml(text: string): string;
export declare function ec2Error(code: string, message: string, status?: number): Answer;
export declare function jsonError(code: string, message: string): Answer;
export declare function rdsError(code: string, message: string, status?: number): Answer;
export declare function paramGroups(
  params: Record<string, string>,
  prefix: string,
): Map<number, Record<string, string>>;
export declare function withParamGroups(
  params: Record<string, string>,
  prefix: string,
  groups: Record<string, string>[],
): Record<string, string>;
export declare const ERRORS: Record<string, (...args: never[]) => Answer>;
export declare const COPY_LIMITS: Readonly<Record<Kind, number>>;
export declare function pendingState(
  kind: Kind,
  birth: { copy: boolean; cross: boolean },
  fraction: number,
): string;
export declare const AWS_SEMANTICS: Readonly<FidelityOptions>;
export declare const CREATE_AND_COPY_ACTIONS: readonly string[];
export declare function awsLike(options?: FidelityOptions): FidelityOptions;
