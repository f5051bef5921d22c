// Tags on identities and configuration sets by ARN: TagResource, UntagResource, ListTagsForResource.
import { parseResourceArn, type SesResource } from '../arn.js';
import { badRequest, SesException } from '../errors.js';
import type { Tag } from '../identity.js';
import {
  exclusive,
  findIdentity,
  type SesBackendState,
  saveIdentity,
  storeConfigurationSet,
  throttle,
} from '../state.js';
import { MAX_TAGS, validateTags } from '../validate.js';

/** The tags of a resource after `change`, stored; NotFoundException when the resource does not exist. */
async function updateTags(state: SesBackendState, resource: SesResource, change: (tags: Tag[]) => Tag[]) {
  if (resource.kind === 'configuration-set') {
    const set = state.configurationSets.get(resource.name);
    if (!set) throw new SesException('NotFoundException', `Configuration set ${resource.name} does not exist.`);
    await storeConfigurationSet(state, resource.name, { ...set, tags: change(set.tags) });
    return;
  }
  const [key, record] = await findIdentity(state, resource.name);
  await exclusive(state, key, async () => {
    record.tags = change(record.tags);
    await saveIdentity(state, key, record);
  });
}

/** TagResource: adds tags, replacing the value of a key already there; at most 50 in all. */
export async function tagResource(state: SesBackendState, input: { ResourceArn?: string; Tags?: Tag[] }) {
  throttle(state, 'TagResource');
  const resource = parseResourceArn(state, input.ResourceArn);
  if (!Array.isArray(input.Tags) || input.Tags.length === 0) throw badRequest('Tags must be a non-empty list.');
  const added = validateTags(input.Tags);
  await updateTags(state, resource, (tags) => {
    const merged = new Map(tags.map((tag) => [tag.Key, tag.Value]));
    for (const tag of added) merged.set(tag.Key, tag.Value);
    if (merged.size > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags.`);
    return [...merged].map(([Key, Value]) => ({ Key, Value }));
  });
  return {};
}

/** UntagResource: removes the keys given; keys that are not there are ignored. */
export async function untagResource(state: SesBackendState, input: { ResourceArn?: string; TagKeys?: string[] }) {
  throttle(state, 'UntagResource');
  const resource = parseResourceArn(state, input.ResourceArn);
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string')) {
    throw badRequest('TagKeys must be a non-empty list of strings.');
  }
  await updateTags(state, resource, (tags) => tags.filter((tag) => !keys.includes(tag.Key)));
  return {};
}

/** ListTagsForResource: the resource's tags (always a list, empty when none). */
export async function listTagsForResource(state: SesBackendState, input: { ResourceArn?: string }) {
  throttle(state, 'ListTagsForResource');
  const resource = parseResourceArn(state, input.ResourceArn);
  if (resource.kind === 'configuration-set') {
    const set = state.configurationSets.get(resource.name);
    if (!set) throw new SesException('NotFoundException', `Configuration set ${resource.name} does not exist.`);
    return { Tags: set.tags.map((tag) => ({ ...tag })) };
  }
  const [, record] = await findIdentity(state, resource.name);
  return { Tags: record.tags.map((tag) => ({ ...tag })) };
}
