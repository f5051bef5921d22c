// An identity's default configuration set and feedback forwarding: PutEmailIdentity{ConfigurationSet,Feedback}Attributes.
import { exclusive, findIdentity, type SesBackendState, saveIdentity, throttle } from '../state.js';
import { optionalBoolean, optionalString } from '../validate.js';
import { requireConfigurationSet } from './configuration-sets.js';

/** PutEmailIdentityConfigurationSetAttributes: the identity's default configuration set; absent removes it. */
export async function putEmailIdentityConfigurationSetAttributes(
  state: SesBackendState,
  input: { EmailIdentity?: string; ConfigurationSetName?: string },
) {
  throttle(state, 'PutEmailIdentityConfigurationSetAttributes');
  const name = optionalString(input.ConfigurationSetName, 'ConfigurationSetName');
  if (name !== undefined) requireConfigurationSet(state, name);
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  return exclusive(state, key, async () => {
    if (name === undefined) delete record.configurationSetName;
    else record.configurationSetName = name;
    await saveIdentity(state, key, record);
    return {};
  });
}

/** PutEmailIdentityFeedbackAttributes: EmailForwardingEnabled (FeedbackForwardingStatus; SES's default true). */
export async function putEmailIdentityFeedbackAttributes(
  state: SesBackendState,
  input: { EmailIdentity?: string; EmailForwardingEnabled?: boolean },
) {
  throttle(state, 'PutEmailIdentityFeedbackAttributes');
  const enabled = optionalBoolean(input.EmailForwardingEnabled, 'EmailForwardingEnabled') === true;
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  return exclusive(state, key, async () => {
    record.feedbackForwarding = enabled;
    await saveIdentity(state, key, record);
    return {};
  });
}
