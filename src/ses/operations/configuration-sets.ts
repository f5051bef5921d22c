// The configuration-set operations: create, get, list and delete, and whether a name exists.
import { SesException } from '../errors.js';
import { type ConfigurationSetRecord, type SesBackendState, storeConfigurationSet, throttle } from '../state.js';
import { optionalObject, validateTags } from '../validate.js';
import { type ListInput, listPage } from './listing.js';

/** SES: "up to 64 alphanumeric characters, including letters, numbers, hyphens (-) and underscores (_) only". */
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The option groups CreateConfigurationSet takes and GetConfigurationSet returns. */
const OPTION_GROUPS = [
  'TrackingOptions',
  'DeliveryOptions',
  'ReputationOptions',
  'SendingOptions',
  'SuppressionOptions',
  'VdmOptions',
  'ArchivingOptions',
  'MessageSecurityOptions',
] as const;

function notFound(name: string): SesException {
  return new SesException('NotFoundException', `Configuration set ${name} does not exist.`);
}

/** Whether a configuration set exists: created here, or known through the `configurationSets` option. */
export function configurationSetExists(state: SesBackendState, name: string): boolean {
  return state.configurationSets.has(name) || state.options.configurationSets?.has(name) === true;
}

/** NotFoundException unless the configuration set exists. */
export function requireConfigurationSet(state: SesBackendState, name: unknown): string {
  if (typeof name !== 'string') throw new SesException('BadRequestException', 'ConfigurationSetName must be a string.');
  if (!configurationSetExists(state, name)) throw notFound(name);
  return name;
}

function setName(raw: unknown): string {
  if (typeof raw !== 'string' || !NAME_PATTERN.test(raw)) {
    throw new SesException(
      'BadRequestException',
      'ConfigurationSetName must be 1 to 64 letters, digits, hyphens and underscores.',
    );
  }
  return raw;
}

/** CreateConfigurationSet: the name, tags and option groups (kept as given). */
export async function createConfigurationSet(state: SesBackendState, input: Record<string, unknown>) {
  throttle(state, 'CreateConfigurationSet');
  const name = setName(input.ConfigurationSetName);
  const tags = validateTags(input.Tags);
  const options: Record<string, unknown> = {};
  for (const group of OPTION_GROUPS) {
    const value = optionalObject(input[group] as object | undefined, group);
    if (value !== undefined) options[group] = structuredClone(value);
  }
  if (configurationSetExists(state, name)) {
    throw new SesException('AlreadyExistsException', `Configuration set ${name} already exists.`);
  }
  await storeConfigurationSet(state, name, { name, createdAt: state.now(), tags, options });
  return {};
}

/** GetConfigurationSet. A set known only through the `configurationSets` option has a name and nothing else. */
export async function getConfigurationSet(state: SesBackendState, input: { ConfigurationSetName?: string }) {
  throttle(state, 'GetConfigurationSet');
  const name = requireConfigurationSet(state, input.ConfigurationSetName);
  const set: ConfigurationSetRecord | undefined = state.configurationSets.get(name);
  return {
    ConfigurationSetName: name,
    ...structuredClone(set?.options ?? {}),
    Tags: (set?.tags ?? []).map((tag) => ({ ...tag })),
  };
}

/** ListConfigurationSets, with NextToken paging and the newer SDKs' Filter (CONFIGURATION_SET_NAME_CONTAINS). */
export async function listConfigurationSets(state: SesBackendState, input: ListInput = {}) {
  throttle(state, 'ListConfigurationSets');
  const page = listPage([...state.configurationSets.keys()], input, {
    CONFIGURATION_SET_NAME_CONTAINS: (name, value) => name.toLowerCase().includes(value.toLowerCase()),
  });
  return { ConfigurationSets: page.items, ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}) };
}

/** DeleteConfigurationSet. Identities naming it keep the name, as in SES (sending through it then fails). */
export async function deleteConfigurationSet(state: SesBackendState, input: { ConfigurationSetName?: string }) {
  throttle(state, 'DeleteConfigurationSet');
  const name = input.ConfigurationSetName;
  if (typeof name !== 'string' || !state.configurationSets.has(name)) throw notFound(String(name));
  await storeConfigurationSet(state, name, null);
  return {};
}
